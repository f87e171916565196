import Foundation
import LoadBalancer
import PoolProxyConfig
import RedisTestSupport
import Synchronization
import Testing

/// pool-proxy in front of a real 3-master, 3-replica Redis Cluster: routing by hash slot, CROSSSLOT, resharding
/// under load, and a master failing over.
@Suite("Redis Cluster behind the proxy", .blockingAllowed, .serialized)
struct ClusterTests {
    private static func command(_ arguments: String...) -> String {
        Self.encode(arguments)
    }

    private static func encode(_ arguments: [String]) -> String {
        var text = "*\(arguments.count)\r\n"
        for argument in arguments { text += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        return text
    }

    /// A cluster, and a proxy whose only configured server is one seed node.
    private static func withCluster<Result: Sendable>(
        readFrom: ClusterReadPolicy = .master,
        _ body: @escaping @Sendable (RedisCluster, ProxyHarness) async throws -> Result
    ) async throws -> Result {
        // Starting, querying and stopping the cluster block on child processes: never on Swift's few cooperative
        // threads, which the other suites running beside this one need.
        let cluster = try await ProxyBlockingThread.run { try RedisCluster.start(masters: 3, replicasPerMaster: 1) }
        let seed = cluster.nodes[0].port
        do {
            let result = try await Self.withProxy(cluster: cluster, seed: seed, readFrom: readFrom, body)
            _ = try? await ProxyBlockingThread.run { cluster.stop() }
            return result
        } catch {
            _ = try? await ProxyBlockingThread.run { cluster.stop() }
            throw error
        }
    }

    private static func withProxy<Result: Sendable>(
        cluster: RedisCluster,
        seed: Int,
        readFrom: ClusterReadPolicy,
        _ body: @escaping @Sendable (RedisCluster, ProxyHarness) async throws -> Result
    ) async throws -> Result {
        try await ProxyHarness.with(backends: 0) { pool in
            pool.cluster = true
            pool.servers = [TwemproxyServer(host: "127.0.0.1", port: seed)]
            pool.clusterRefreshInterval = .milliseconds(500)
            pool.readFrom = readFrom
        } _: { harness in
            try await body(cluster, harness)
        }
    }

    @Test("10,000 keys land on the master that owns their slot, and read back through the proxy")
    func routesByHashSlot() async throws {
        struct Observed: Sendable {
            var acknowledged = 0
            var readBack = 0
            var keysPerMaster: [Int: Set<String>] = [:]
            var slotChecks: [(key: String, local: Int, redis: Int, owner: Int, holder: Int)] = []
            var info = ""
            var keyspace = ""
        }
        let observed = try await Self.withCluster { cluster, harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let client = try ProxyRawSocket(port: harness.port)
                let count = 10_000
                for batch in stride(from: 0, to: count, by: 500) {
                    var pipeline = ""
                    for index in batch..<min(batch + 500, count) {
                        pipeline += Self.command("SET", "route:\(index)", "\(index)")
                    }
                    try client.send(pipeline)
                    observed.acknowledged += try client.readLines(min(500, count - batch), timeout: .seconds(20))
                        .filter { $0 == "+OK" }.count
                }
                for index in stride(from: 0, to: count, by: 1) {
                    try client.send(Self.command("GET", "route:\(index)"))
                    let reply = try client.read(until: "\r\n\(index)\r\n", timeout: .seconds(5))
                    if reply.hasSuffix("\r\n\(index)\r\n") { observed.readBack += 1 }
                }
                for master in try cluster.masters() {
                    let keys = try cluster.node(port: master).cli(["--scan", "--pattern", "route:*"])
                    observed.keysPerMaster[master] = Set(keys.split(separator: "\n").map(String.init))
                }
                // redis-cli, as a dashboard would: INFO fans out to the masters and adds up their key counts.
                observed.info = try harness.cli(["INFO"])
                observed.keyspace = try harness.cli(["INFO", "keyspace"])
                for index in stride(from: 0, to: count, by: 250) {
                    let key = "route:\(index)"
                    let local = Int(HashSlot(key: Array(key.utf8)).rawValue)
                    let holder = observed.keysPerMaster.first { $0.value.contains(key) }?.key ?? -1
                    observed.slotChecks.append(
                        (key, local, try cluster.keySlot(key), try cluster.owner(ofSlot: local), holder)
                    )
                }
                return observed
            }
        }
        #expect(observed.acknowledged == 10_000)
        #expect(observed.readBack == 10_000)
        #expect(observed.keysPerMaster.values.reduce(0) { $0 + $1.count } == 10_000, "each key on exactly one master")
        #expect(observed.keysPerMaster.values.allSatisfy { $0.count > 2_000 }, "spread over the three masters")
        #expect(
            observed.info.hasPrefix("# Proxy"),
            "INFO starts with the proxy's section: \(observed.info.prefix(200))"
        )
        for expected in ["mode:cluster", "masters:3", "# Server", "redis_version:", "db0:keys=10000,"] {
            #expect(observed.info.contains(expected), "INFO has \(expected)")
        }
        #expect(observed.keyspace.contains("db0:keys=10000,"), "INFO keyspace: \(observed.keyspace)")
        #expect(!observed.keyspace.contains("# Proxy"), "INFO keyspace is the keyspace only: \(observed.keyspace)")
        for check in observed.slotChecks {
            #expect(check.local == check.redis, "\(check.key): CLUSTER KEYSLOT agrees")
            #expect(check.owner == check.holder, "\(check.key) is on the master that owns slot \(check.local)")
        }
    }

    @Test("multi-key commands split per slot; others across slots get -CROSSSLOT and the client stays")
    func crossSlot() async throws {
        let replies = try await Self.withCluster { _, harness in
            try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                var replies: [String] = []
                for request in [
                    Self.command("MSET", "a", "1", "b", "2", "c", "3"),
                    Self.command("RENAME", "a", "b"),
                    Self.command("SET", "{user}:1", "x"),
                    Self.command("RENAME", "{user}:1", "{user}:2"),
                    Self.command("EXISTS", "a", "b", "c", "{user}:2"),
                    Self.command("PING"),
                ] {
                    try client.send(request)
                    replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                }
                try client.send(Self.command("MGET", "c", "a", "nope", "b"))
                replies.append(try client.read(until: "$1\r\n2\r\n", timeout: .seconds(5)))
                return replies
            }
        }
        #expect(replies[0] == "+OK\r\n")
        #expect(replies[1] == "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
        #expect(replies[2] == "+OK\r\n")
        #expect(replies[3] == "+OK\r\n", "keys with one hash tag share a slot")
        #expect(replies[4] == ":4\r\n")
        #expect(replies[5] == "+PONG\r\n")
        #expect(replies[6] == "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", "merged in the client's order")
    }

    @Test("MULTI/EXEC, WATCH and EVAL run on the node that owns their slot")
    func transactionsAndScripts() async throws {
        let replies = try await Self.withCluster { _, harness in
            try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                let other = try ProxyRawSocket(port: harness.port)
                var replies: [String] = []
                func run(_ socket: ProxyRawSocket, _ request: String, until terminator: String = "\r\n") throws {
                    try socket.send(request)
                    replies.append(try socket.read(until: terminator, timeout: .seconds(5)))
                }
                try run(client, Self.command("MULTI"))
                try run(client, Self.command("SET", "{cart}:items", "3"))
                try run(client, Self.command("INCR", "{cart}:version"))
                try run(client, Self.command("EXEC"), until: ":1\r\n")
                try run(client, Self.command("MULTI"))
                try run(client, Self.command("EXEC"))
                try run(client, Self.command("WATCH", "{cart}:version"))
                try run(other, Self.command("INCR", "{cart}:version"))
                try run(client, Self.command("MULTI"))
                try run(client, Self.command("SET", "{cart}:items", "4"))
                try run(client, Self.command("EXEC"))
                try run(client, Self.command("GET", "{cart}:items"), until: "3\r\n")
                try run(
                    client,
                    Self.command("EVAL", "return redis.call('INCRBY', KEYS[1], ARGV[1])", "1", "{cart}:items", "10")
                )
                try run(client, Self.command("EVAL", "return 1", "2", "a", "b"))
                try run(client, Self.command("EXEC"))
                return replies
            }
        }
        #expect(replies[0] == "+OK\r\n")
        #expect(replies[1] == "+QUEUED\r\n")
        #expect(replies[2] == "+QUEUED\r\n")
        #expect(replies[3] == "*2\r\n+OK\r\n:1\r\n")
        #expect(replies[4] == "+OK\r\n")
        #expect(replies[5] == "*0\r\n", "an empty transaction")
        #expect(replies[6] == "+OK\r\n")
        #expect(replies[7] == ":2\r\n", "another client changes the watched key")
        #expect(replies[8] == "+OK\r\n")
        #expect(replies[9] == "+QUEUED\r\n")
        #expect(replies[10] == "*-1\r\n", "WATCH aborts the transaction")
        #expect(replies[11] == "$1\r\n3\r\n")
        #expect(replies[12] == ":13\r\n")
        #expect(replies[13] == "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
        #expect(replies[14] == "-ERR EXEC without MULTI\r\n")
    }

    @Test("read_from: replica sends reads to the slot's replica and writes to its master")
    func readsFromReplicas() async throws {
        let (value, replicaGets, masterGets, masterSets) = try await Self.withCluster(readFrom: .replica) {
            cluster,
            harness in
            let key = "read:here"
            let (master, replicas) = try await ProxyBlockingThread.run {
                let master = try cluster.owner(ofSlot: try cluster.keySlot(key))
                return (master, try cluster.replicas(of: master))
            }
            let replica = try #require(replicas.first)
            let value = try await ProxyBlockingThread.run { () throws -> String in
                let client = try ProxyRawSocket(port: harness.port)
                try client.send(Self.command("SET", key, "replicated"))
                _ = try client.read(until: "\r\n", timeout: .seconds(5))
                var reply = ""
                let deadline = ContinuousClock.now + .seconds(5)
                while !reply.hasSuffix("replicated\r\n") && ContinuousClock.now < deadline {
                    try client.send(Self.command("GET", key))
                    reply = try client.read(until: "\r\n", timeout: .seconds(5))
                    if reply.hasPrefix("$") && !reply.hasSuffix("replicated\r\n") {
                        reply += try client.read(until: "\r\n", timeout: .seconds(5))
                    }
                    if !reply.hasSuffix("replicated\r\n") { usleep(20_000) }
                }
                return reply
            }
            @Sendable func calls(_ port: Int, _ command: String) throws -> Int {
                let stats = try cluster.node(port: port).cli(["INFO", "commandstats"])
                guard
                    let line = stats.split(whereSeparator: \.isNewline).first(where: {
                        $0.hasPrefix("cmdstat_\(command):")
                    })
                else { return 0 }
                let calls = line.split(separator: ",").first?.split(separator: "=").last
                return Int(calls ?? "") ?? 0
            }
            return try await ProxyBlockingThread.run {
                (value, try calls(replica, "get"), try calls(master, "get"), try calls(master, "set"))
            }
        }
        #expect(value.hasSuffix("replicated\r\n"))
        #expect(replicaGets > 0, "reads went to the replica")
        #expect(masterGets == 0, "no read went to the master")
        #expect(masterSets == 1, "the write went to the master")
    }

    @Test("resharding under load: no client-visible error, and every acknowledged write reads back")
    func reshardUnderLoad() async throws {
        struct Load: Sendable {
            var acknowledged: [String] = []
            var errors: [String] = []
        }
        let (load, missing) = try await Self.withCluster { cluster, harness in
            let stop = Atomic<Bool>(false)
            async let writes = ProxyBlockingThread.run { () throws -> Load in
                var load = Load()
                let client = try ProxyRawSocket(port: harness.port)
                var index = 0
                while !stop.load(ordering: .relaxed) || index < 2_000 {
                    let key = "load:\(index)"
                    try client.send(Self.command("SET", key, "v\(index)"))
                    let reply = try client.read(until: "\r\n", timeout: .seconds(10))
                    if reply == "+OK\r\n" { load.acknowledged.append(key) } else { load.errors.append(reply) }
                    index += 1
                }
                return load
            }
            let masters = try await ProxyBlockingThread.run { try cluster.masters() }
            try await ProxyBlockingThread.run {
                usleep(200_000)
                try cluster.reshard(slots: 1_000, from: masters[0], to: masters[1])
                usleep(300_000)
            }
            stop.store(true, ordering: .relaxed)
            let load = try await writes
            let missing = try await ProxyBlockingThread.run { () throws -> [String] in
                let client = try ProxyRawSocket(port: harness.port)
                var missing: [String] = []
                for key in load.acknowledged {
                    try client.send(Self.command("GET", key))
                    let expected = "v\(key.dropFirst("load:".count))"
                    let reply = try client.read(until: "\r\n\(expected)\r\n", timeout: .seconds(5))
                    if !reply.hasSuffix("\r\n\(expected)\r\n") { missing.append(key) }
                }
                return missing
            }
            return (load, missing)
        }
        #expect(load.errors.isEmpty, "first errors: \(load.errors.prefix(3))")
        #expect(load.acknowledged.count >= 2_000)
        #expect(missing.isEmpty, "lost: \(missing.prefix(5))")
    }

    @Test("a master added to the running cluster serves the slots moved to it through the proxy, without a restart")
    func masterJoinedAfterStart() async throws {
        struct Observed: Sendable {
            var newMaster = 0
            var errors: [String] = []
            var readBack = 0
            var keysOnNewMaster = 0
            var writtenAfter = 0
            var info = ""
        }
        let count = 3_000
        let observed = try await Self.withCluster { cluster, harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let client = try ProxyRawSocket(port: harness.port)
                for batch in stride(from: 0, to: count, by: 500) {
                    var pipeline = ""
                    for index in batch..<min(batch + 500, count) {
                        pipeline += Self.command("SET", "join:\(index)", "\(index)")
                    }
                    try client.send(pipeline)
                    _ = try client.readLines(min(500, count - batch), timeout: .seconds(20))
                }
                // Scale out while the proxy runs: a fourth master, and a third of another master's slots moved to
                // it. The proxy learns of the node from a redirect or its periodic refresh.
                observed.newMaster = try cluster.addMaster()
                let source = try cluster.masters().first { $0 != observed.newMaster } ?? 0
                try cluster.reshard(slots: 1_800, from: source, to: observed.newMaster)
                for index in 0..<count {
                    try client.send(Self.command("GET", "join:\(index)"))
                    // Up to the first line break: an error reply is one line and must not wait out the timeout.
                    var reply = try client.read(until: "\r\n", timeout: .seconds(5))
                    if reply.hasPrefix("$"), !reply.hasSuffix("\r\n\(index)\r\n") {
                        reply += try client.read(until: "\(index)\r\n", timeout: .seconds(5))
                    }
                    if reply.hasPrefix("$"), reply.hasSuffix("\r\n\(index)\r\n") {
                        observed.readBack += 1
                    } else {
                        observed.errors.append(reply)
                    }
                }
                for index in 0..<1_000 {
                    try client.send(Self.command("SET", "joined:\(index)", "x"))
                    let reply = try client.read(until: "\r\n", timeout: .seconds(5))
                    if reply == "+OK\r\n" { observed.writtenAfter += 1 } else { observed.errors.append(reply) }
                }
                let keys = try cluster.node(port: observed.newMaster).cli(["DBSIZE"])
                observed.keysOnNewMaster = Int(keys.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                observed.info = try harness.cli(["INFO", "proxy"])
                return observed
            }
        }
        #expect(observed.errors.isEmpty, "client-visible errors: \(observed.errors.prefix(3))")
        #expect(observed.readBack == count, "every key written before the node joined reads back")
        #expect(observed.writtenAfter == 1_000)
        #expect(
            observed.keysOnNewMaster > 300,
            "the new master holds the keys of its slots: \(observed.keysOnNewMaster)"
        )
        #expect(observed.info.contains("masters:4"), "INFO proxy: \(observed.info)")
        #expect(observed.info.contains("127.0.0.1:\(observed.newMaster),role=master,status=up"), "\(observed.info)")
    }

    @Test("a master fails over: errors only during the failover, then the proxy recovers without a restart")
    func failover() async throws {
        struct Timeline: Sendable {
            var errorsAt: [Duration] = []
            var okAfterFailover = 0
            var hung = 0
        }
        let (timeline, failoverAt) = try await Self.withCluster { cluster, harness in
            let (victim, key) = try await ProxyBlockingThread.run {
                let victim = try cluster.masters()[0]
                return (victim, try cluster.key(inSlot: try cluster.ownedSlot(of: victim)))
            }
            let clock = ContinuousClock()
            let start = clock.now
            let failedOver = Atomic<Int64>(-1)
            async let probes = ProxyBlockingThread.run { () throws -> Timeline in
                var timeline = Timeline()
                var client = try ProxyRawSocket(port: harness.port)
                while clock.now - start < .seconds(25) {
                    try client.send(Self.command("SET", key, "x"))
                    let reply = try client.read(until: "\r\n", timeout: .seconds(5))
                    if reply.isEmpty {
                        timeline.hung += 1
                        client = try ProxyRawSocket(port: harness.port)
                    } else if reply != "+OK\r\n" {
                        timeline.errorsAt.append(clock.now - start)
                    } else if failedOver.load(ordering: .relaxed) >= 0 {
                        timeline.okAfterFailover += 1
                        if timeline.okAfterFailover >= 200 { break }
                    }
                    usleep(2_000)
                }
                return timeline
            }
            let failoverAt = try await ProxyBlockingThread.run { () throws -> Duration in
                usleep(300_000)
                cluster.kill(port: victim)
                _ = try cluster.waitForFailover(of: victim, timeout: .seconds(20))
                let at = clock.now - start
                failedOver.store(Int64(at.components.seconds * 1000), ordering: .relaxed)
                return at
            }
            return (try await probes, failoverAt)
        }
        #expect(timeline.hung == 0, "no request hangs")
        #expect(timeline.okAfterFailover >= 200, "the proxy serves the slot again, from the promoted replica")
        // Errors start when the master dies and stop shortly after the cluster promotes its replica.
        #expect(
            timeline.errorsAt.allSatisfy { $0 < failoverAt + .seconds(3) },
            "\(timeline.errorsAt.last.map { "\($0)" } ?? "")"
        )
    }
}
