import Foundation
import LoadBalancer
import NIOCore
import PoolProxyConfig
import RESPCodec
import RedisTestSupport
import SocketIO
import Testing

/// Commands through a pool of three redis-servers: multi-key commands are split and merged, keyless admin
/// commands fan out, and whatever cannot work across servers is refused with an `-ERR pool-proxy: ...` while the
/// client stays connected.
@Suite(.blockingAllowed) struct ShardedCommandTests {
    /// MGET, MSET, DEL, UNLINK, EXISTS and TOUCH with keys on all three servers answer exactly what one
    /// redis-server holding the same data answers, element by element in the client's order.
    @Test func multiKeyCommandsMatchASingleRedis() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3) { harness in
                let reference = try RedisServer.start()
                defer { reference.stop() }
                let proxy = try await Self.connect(port: harness.port)
                let single = try await Self.connect(port: reference.port)

                // Short keys with a common prefix often share a server under ketama+fnv1a_64 (twemproxy's too),
                // so the keys are picked by the pool's own distribution to give each server ten.
                let keys = Self.spreadKeys(harness, count: 30, prefix: "mk")
                let script: [[String]] = [
                    ["MSET"] + keys.prefix(20).flatMap { [$0, "value-\($0)"] },
                    ["MGET"] + keys,
                    ["MGET", keys[25], keys[3], keys[3], keys[17], "missing", keys[0]],
                    ["EXISTS"] + keys + [keys[1], keys[1]],
                    ["TOUCH"] + keys.shuffled(),
                    ["MSET", keys[21], "a", keys[5], "b", keys[21], "c"],
                    ["MGET", keys[21], keys[5]],
                    ["DEL", keys[0], keys[1], keys[2], "missing", keys[1]],
                    ["UNLINK"] + keys[3..<12],
                    ["EXISTS"] + keys,
                    ["MGET"] + keys,
                    ["DBSIZE"],
                    ["DEL"] + keys,
                    ["DBSIZE"],
                ]
                let mismatches = try await Self.mismatches(running: script, on: proxy, against: single)
                // The keys really are spread: each backend got some of the MSET.
                _ = try await proxy.send(["MSET"] + keys.flatMap { [$0, "v"] })
                let perServer = try harness.servers.map { try Int($0.cli(["DBSIZE"]).trimmed) ?? 0 }
                await proxy.close()
                await single.close()

                #expect(mismatches.isEmpty, "\(mismatches)")
                #expect(
                    perServer.allSatisfy { $0 > 0 } && perServer.reduce(0, +) == keys.count,
                    "keys per server: \(perServer)"
                )
            }
        }
    }

    /// Single-key commands take the proxy's in-place route; they, and their malformed forms (which must fall back to
    /// the general path), answer what one redis-server answers.
    @Test func singleKeyCommandsAndTheirMistakesMatchASingleRedis() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3) { harness in
                let reference = try RedisServer.start()
                defer { reference.stop() }
                let proxy = try await Self.connect(port: harness.port)
                let single = try await Self.connect(port: reference.port)
                let keys = Self.spreadKeys(harness, count: 6, prefix: "sk")
                var script: [[String]] = []
                for key in keys {
                    script += [
                        ["SET", key, "v-\(key)"], ["GET", key], ["APPEND", key, "+"], ["STRLEN", key], ["get", key],
                        ["INCR", "n-\(key)"], ["INCRBY", "n-\(key)", "5"], ["HSET", "h-\(key)", "f", "1"],
                        ["HGET", "h-\(key)", "f"], ["EXPIRE", key, "100"], ["PERSIST", key], ["TYPE", key],
                    ]
                }
                script += [
                    ["SET", "{tag}a", "1"], ["GET", "{tag}a"], ["GET", ""], ["SET", "", "empty"], ["GET", ""],
                    // Wrong arity and a wrong type go the general way, or to the server, and read the same.
                    ["GET"], ["GET", keys[0], keys[1]], ["SET", keys[0]], ["INCR", keys[0]], ["HGET", keys[0], "f"],
                ]
                let mismatches = try await Self.mismatches(running: script, on: proxy, against: single)
                #expect(mismatches.isEmpty, "\(mismatches)")
                #expect(proxy.isHealthy)
                await proxy.close()
                await single.close()
            }
        }
    }

    @Test func msetnxAcrossServersIsRefusedAndTheClientStaysConnected() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3) { harness in
                let proxy = try await Self.connect(port: harness.port)
                let (a, b) = try await Self.keysOnDifferentServers(harness, proxy)
                let refused = try await proxy.send(["MSETNX", a, "1", b, "2"])
                let after = try await proxy.send(["MGET", a, b])
                let ping = try await proxy.send(["PING"])
                await proxy.close()

                #expect(Self.isProxyError(refused, naming: "MSETNX"), "\(refused)")
                #expect(after == .array([.bulkString(ByteBuffer(string: "v")), .bulkString(ByteBuffer(string: "v"))]))
                #expect(ping == .simpleString(ByteBuffer(string: "PONG")))
            }
        }
    }

    /// DBSIZE sums, KEYS unites, SCAN's cursor walks every server once, FLUSHDB and FLUSHALL reach every server;
    /// RANDOMKEY, PING, ECHO and INFO answer.
    @Test func keylessCommandsFanOut() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3) { harness in
                let proxy = try await Self.connect(port: harness.port)
                let keys = Set(Self.spreadKeys(harness, count: 600, prefix: "fan"))
                _ = try await proxy.send(["MSET"] + keys.flatMap { [$0, "v"] })
                let perServer = try harness.servers.map { try Int($0.cli(["DBSIZE"]).trimmed) ?? 0 }
                #expect(perServer.allSatisfy { $0 > 0 }, "keys per server: \(perServer)")

                #expect(try await proxy.send(["DBSIZE"]) == .integer(Int64(keys.count)))
                let listed = Self.strings(try await proxy.send(["KEYS", "fan:*"]))
                #expect(listed.count == keys.count && Set(listed) == keys, "KEYS returns each key once")

                // An unmodified SCAN loop, as redis-cli runs it, and one with a small COUNT and a MATCH.
                let scanned = try harness.cli(["--scan"]).split(separator: "\n").map(String.init)
                #expect(scanned.count == keys.count && Set(scanned) == keys, "redis-cli --scan: \(scanned.count) keys")
                var cursor = "0"
                var matched: [String] = []
                var calls = 0
                repeat {
                    let reply = try await proxy.send(["SCAN", cursor, "MATCH", "fan:1*", "COUNT", "5"])
                    guard case .array(let parts?) = reply, parts.count == 2, case .bulkString(let next?) = parts[0]
                    else {
                        Issue.record("SCAN reply \(reply)")
                        break
                    }
                    cursor = String(buffer: next)
                    matched += Self.strings(parts[1])
                    calls += 1
                } while cursor != "0" && calls < 10_000
                let expectedMatches = keys.filter { $0.hasPrefix("fan:1") }
                #expect(matched.count == expectedMatches.count && Set(matched) == expectedMatches, "SCAN MATCH COUNT")

                let random = try await proxy.send(["RANDOMKEY"])
                #expect(Self.strings(.array([random])).allSatisfy(keys.contains), "RANDOMKEY \(random)")
                #expect(try await proxy.send(["PING"]) == .simpleString(ByteBuffer(string: "PONG")))
                #expect(try await proxy.send(["PING", "hi"]) == .bulkString(ByteBuffer(string: "hi")))
                #expect(try await proxy.send(["ECHO", "hello"]) == .bulkString(ByteBuffer(string: "hello")))
                let info = Self.strings(.array([try await proxy.send(["INFO"])])).first ?? ""
                #expect(info.hasPrefix("# Proxy") && info.contains("mode:sharded"), "INFO \(info.prefix(200))")
                #expect(info.contains("db0:keys=\(keys.count),"), "INFO adds up the servers' keyspaces")
                let keyspace = Self.strings(.array([try await proxy.send(["INFO", "keyspace"])])).first ?? ""
                #expect(keyspace.hasPrefix("# Keyspace") && keyspace.contains("db0:keys=\(keys.count),"), "\(keyspace)")

                #expect(try await proxy.send(["FLUSHDB"]) == .simpleString(ByteBuffer(string: "OK")))
                #expect(try await proxy.send(["DBSIZE"]) == .integer(0))
                _ = try await proxy.send(["MSET"] + keys.flatMap { [$0, "v"] })
                #expect(try await proxy.send(["FLUSHALL"]) == .simpleString(ByteBuffer(string: "OK")))
                let left = try harness.servers.map { try Int($0.cli(["DBSIZE"]).trimmed) ?? -1 }
                #expect(left == [0, 0, 0], "FLUSHALL reached every server: \(left)")
                #expect(try await proxy.send(["RANDOMKEY"]) == .bulkString(nil))
                await proxy.close()
            }
        }
    }

    /// Each refusal is an `-ERR pool-proxy: ...` that names the command, and the next command on the same
    /// connection works.
    @Test func refusedCommandsNameTheReasonAndKeepTheClient() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3) { harness in
                let proxy = try await Self.connect(port: harness.port)
                let (a, b) = try await Self.keysOnDifferentServers(harness, proxy)
                let refusals: [(command: [String], names: String)] = [
                    (["MULTI"], "MULTI"),
                    (["RENAME", a, b], "RENAME"),
                    (["EVAL", "return redis.call('GET', KEYS[1])", "2", a, b], "EVAL"),
                    (["SELECT", "1"], "SELECT"),
                    (["CONFIG", "GET", "maxmemory"], "CONFIG GET"),
                ]
                for (command, name) in refusals {
                    let reply = try await proxy.send(command)
                    #expect(Self.isProxyError(reply, naming: name), "\(command): \(reply)")
                    let next = try await proxy.send(["GET", a])
                    #expect(next == .bulkString(ByteBuffer(string: "v")), "after \(command): \(next)")
                }
                #expect(try await proxy.send(["SELECT", "0"]) == .simpleString(ByteBuffer(string: "OK")))
                #expect(proxy.isHealthy)
                await proxy.close()
            }
        }
    }

    @Test
    func blpopOnOneKeyWaitsForAPush() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3) { harness in
                let waiter = try await Self.connect(port: harness.port)
                let pusher = try await Self.connect(port: harness.port)
                let popped = Task { try await waiter.send(["BLPOP", "queue:1", "10"]) }
                // Push once the waiter is blocked (it shows up in CLIENT LIST on the key's server as a blpop).
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    let blocked = try harness.servers.contains { try $0.cli(["CLIENT", "LIST"]).contains("cmd=blpop") }
                    if blocked { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try await pusher.send(["RPUSH", "queue:1", "job"]) == .integer(1))
                let reply = try await popped.value
                #expect(
                    reply
                        == .array([.bulkString(ByteBuffer(string: "queue:1")), .bulkString(ByteBuffer(string: "job"))])
                )
                #expect(
                    try await waiter.send(["BLPOP", "queue:1", "0.1"]) == .array(nil),
                    "a timed-out BLPOP answers nil"
                )
                #expect(try await waiter.send(["PING"]) == .simpleString(ByteBuffer(string: "PONG")))
                await waiter.close()
                await pusher.close()
            }
        }
    }

    /// With `hash_tag: "{}"`, `{user1}:a` and `{user1}:b` share a server, so RENAME and MSETNX work.
    @Test func hashTagsKeepKeysTogether() async throws {
        try await ProxyBlockingThread.perform {
            try await ProxyHarness.with(backends: 3, configure: { pool in pool.hashTag = TwemproxyHashTag("{}") }) {
                harness in
                let proxy = try await Self.connect(port: harness.port)
                // Tags picked so that the users spread over the three servers.
                let users = Self.spreadKeys(harness, count: 12, prefix: "user")
                for user in users {
                    let a = "{\(user)}:a"
                    let b = "{\(user)}:b"
                    #expect(
                        try await proxy.send(["SET", a, "payload\(user)"]) == .simpleString(ByteBuffer(string: "OK"))
                    )
                    #expect(try await proxy.send(["RENAME", a, b]) == .simpleString(ByteBuffer(string: "OK")), "\(a)")
                    #expect(try await proxy.send(["GET", b]) == .bulkString(ByteBuffer(string: "payload\(user)")))
                    #expect(try await proxy.send(["MSETNX", "{\(user)}:c", "1", "{\(user)}:d", "2"]) == .integer(1))
                }
                let holders = try harness.servers.map { try $0.cli(["--scan", "--pattern", "{user*"]) }
                await proxy.close()
                let keysByServer = holders.map { Set($0.split(separator: "\n").map(String.init)) }
                for user in users {
                    let owners = keysByServer.indices.filter { keysByServer[$0].contains("{\(user)}:b") }
                    let others = keysByServer.indices.filter { keysByServer[$0].contains("{\(user)}:c") }
                    #expect(owners.count == 1 && owners == others, "\(user) keys on \(owners) and \(others)")
                }
                let used = holders.filter { !$0.isEmpty }.count
                #expect(used == 3, "the users spread over the three servers")
            }
        }
    }

    // MARK: - Helpers

    /// `count` keys `prefix:<n>`, taken in turn from each server as the pool's distribution places them.
    /// Runs each command on the proxy and on one redis-server; describes every reply that differs.
    static func mismatches(
        running script: [[String]],
        on proxy: RESPConnection,
        against single: RESPConnection
    ) async throws -> [String] {
        var mismatches: [String] = []
        for command in script {
            let fromProxy = try await proxy.send(command)
            let fromRedis = try await single.send(command)
            if fromProxy != fromRedis {
                mismatches.append("\(command.prefix(3)): pool-proxy \(fromProxy), redis \(fromRedis)")
            }
        }
        return mismatches
    }

    static func spreadKeys(_ harness: ProxyHarness, count: Int, prefix: String) -> [String] {
        let pool = harness.proxy.configuration.pools[0]
        let router = TwemproxyRouter(
            servers: pool.servers,
            hash: pool.hash,
            distribution: pool.distribution,
            hashTag: pool.hashTag
        )
        var keys: [String] = []
        var candidate = 0
        while keys.count < count {
            let key = "\(prefix):\(candidate)"
            if router.index(forKey: Array(key.utf8)) == keys.count % pool.servers.count { keys.append(key) }
            candidate += 1
        }
        return keys
    }

    private static func connect(port: Int) async throws -> RESPConnection {
        var configuration = RESPConnectionConfiguration()
        configuration.requestTimeout = .seconds(10)
        return try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: port), configuration: configuration)
    }

    /// Two keys set (to `v`) through the proxy that ended up on different backends.
    private static func keysOnDifferentServers(
        _ harness: ProxyHarness,
        _ proxy: RESPConnection
    ) async throws -> (String, String) {
        let keys = Self.spreadKeys(harness, count: 3, prefix: "pair")
        _ = try await proxy.send(["MSET"] + keys.flatMap { [$0, "v"] })
        let first = try harness.servers.map { try $0.cli(["EXISTS", keys[0]]).trimmed == "1" }
        for key in keys.dropFirst() {
            let here = try harness.servers.map { try $0.cli(["EXISTS", key]).trimmed == "1" }
            if here != first { return (keys[0], key) }
        }
        throw RedisServer.StartError(description: "3 keys all landed on one server")
    }

    static func isProxyError(_ reply: RESPValue, naming name: String) -> Bool {
        guard case .simpleError(let message) = reply else { return false }
        let text = String(buffer: message)
        return text.hasPrefix("ERR pool-proxy") && text.contains(name)
    }

    static func strings(_ reply: RESPValue) -> [String] {
        guard case .array(let elements?) = reply else { return [] }
        return elements.compactMap { element in
            switch element {
            case .bulkString(let bytes?): String(buffer: bytes)
            case .verbatimString(let bytes): String(buffer: bytes)
            default: nil
            }
        }
    }
}

extension String {
    fileprivate var trimmed: String { self.trimmingCharacters(in: .whitespacesAndNewlines) }
}
