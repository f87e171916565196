import Foundation
import NIOCore
import PoolProxyConfig
import RESPCodec
import RedisTestSupport
import SocketIO
import Testing

/// A sharded pool of three redis-servers when one of them dies, comes back, freezes, or never answers.
///
/// "Hangs" are requests that do not complete within the client's 5 s request timeout, or whose connection
/// breaks: there must be none. Failing requests must fail with an `-ERR pool-proxy: backend <host:port> ...`
/// reply that names the backend, on a connection that stays usable.
@Suite(.blockingAllowed, .serialized) struct FailureTests {
    /// One backend is SIGKILLed under SET load and restarted on the same port.
    ///
    /// What "no acknowledged write is lost" means here: the backends run with `appendonly yes` and
    /// `appendfsync always`, so Redis has written (and fsynced) a command to its AOF before the `+OK` leaves the
    /// server; a SIGKILL therefore loses no write a client saw acknowledged, and after the restart every key whose
    /// SET was answered `+OK`, on any of the three servers and in any phase, must read back with its value. Writes
    /// that were answered with an error may or may not have happened and are not checked.
    @Test func killedBackendFailsFastAndRecoversWithoutReconnecting() async throws {
        try await ProxyBlockingThread.perform {
            try await BackendFleet.with(
                backends: 3,
                redisArguments: ["--appendonly", "yes", "--appendfsync", "always"]
            ) { pool in
                pool.timeout = TestTime.scaled(.seconds(2))
            } body: { fleet in
                let victim = 1
                let victimName = fleet.serverName(victim)
                let ledger = BackendWriteLedger()
                let clients = try await (0..<6).asyncMap { _ in try await fleet.connect() }
                let load = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for (index, client) in clients.enumerated() {
                            group.addTask {
                                await Self.writeUntilStopped(client, worker: index, fleet: fleet, ledger: ledger)
                            }
                        }
                    }
                }

                var progressed = await Self.eventually {
                    let snapshot = ledger.snapshot
                    return (0..<3).allSatisfy { snapshot.acknowledged(server: $0, phase: 0) >= 30 }
                }
                #expect(progressed, "writes reach every server before the kill: \(ledger.snapshot.summary)")

                fleet.backends[victim].kill()
                ledger.phase = 1
                progressed = await Self.eventually {
                    let snapshot = ledger.snapshot
                    return snapshot.errors(server: victim) >= 20
                        && [0, 2].allSatisfy { snapshot.acknowledged(server: $0, phase: 1) >= 30 }
                }
                #expect(
                    progressed,
                    "the victim's keys fail while the other servers keep taking writes: \(ledger.snapshot.summary)"
                )

                try fleet.backends[victim].restart()
                ledger.phase = 2
                progressed = await Self.eventually(within: .seconds(30)) {
                    ledger.snapshot.acknowledged(server: victim, phase: 2) >= 30
                }
                #expect(progressed, "writes to the restarted server succeed again: \(ledger.snapshot.summary)")
                ledger.stop()
                await load.value

                let snapshot = ledger.snapshot
                #expect(snapshot.hangs.isEmpty, "requests that did not complete: \(snapshot.hangs.prefix(5))")
                let misdirected = snapshot.errors.filter { $0.write.server != victim }
                #expect(misdirected.isEmpty, "errors for keys on live servers: \(misdirected.prefix(5).map(\.message))")
                // The restarted server's own `-LOADING` (it replays its AOF) passes through unchanged, as from Redis.
                let unnamed = snapshot.errors.filter {
                    !$0.message.hasPrefix("ERR pool-proxy: backend \(victimName) ") && !$0.message.hasPrefix("LOADING ")
                }
                #expect(unnamed.isEmpty, "errors that do not name \(victimName): \(unnamed.prefix(5).map(\.message))")
                let connected = clients.allSatisfy { $0.isHealthy }
                #expect(connected, "every client kept its one connection")

                // Every acknowledged write reads back, through the proxy and on the server the key maps to.
                let reader = try await fleet.connect()
                var lost: [String] = []
                for batch in stride(from: 0, to: snapshot.acknowledged.count, by: 200) {
                    let writes = Array(snapshot.acknowledged[batch..<min(batch + 200, snapshot.acknowledged.count)])
                    let reply = try await reader.send(["MGET"] + writes.map(\.key))
                    let values = ShardedCommandTests.strings(reply)
                    guard values.count == writes.count else {
                        Issue.record("MGET answered \(reply)")
                        break
                    }
                    lost += zip(writes, values).filter { $0.0.key != $0.1 }.map { "\($0.0.key)@\($0.0.server)" }
                }
                for server in 0..<3 {
                    let keys = snapshot.acknowledged.filter { $0.server == server }.map(\.key)
                    let stored = Set(
                        try fleet.backends[server].cli(["--scan", "--pattern", "w*"]).split(separator: "\n")
                    )
                    lost += keys.filter { !stored.contains(Substring($0)) }.map { "\($0) not on server \(server)" }
                }
                #expect(lost.isEmpty, "\(lost.count) acknowledged writes lost, e.g. \(lost.prefix(5))")
                await reader.close()
                for client in clients { await client.close() }
            }
        }
    }

    /// `auto_eject_hosts: true`, `server_failure_limit: 2`, `server_retry_timeout: 1000`: the dead server leaves
    /// the distribution, its keys go to the others, and it comes back after a restart.
    @Test func deadBackendIsEjectedAndReadmitted() async throws {
        try await ProxyBlockingThread.perform {
            try await BackendFleet.with(backends: 3) { pool in
                pool.autoEjectHosts = true
                pool.serverFailureLimit = 2
                pool.serverRetryTimeout = .seconds(1)
                pool.timeout = TestTime.scaled(.seconds(2))
            } body: { fleet in
                let victim = 2
                let client = try await fleet.connect()
                let victimKeys = fleet.keys(on: victim, count: 10, prefix: "ej")
                for key in victimKeys {
                    #expect(try await client.send(["SET", key, "before"]) == .simpleString(ByteBuffer(string: "OK")))
                }

                fleet.backends[victim].kill()
                var attempt = 0
                var rehashed: String?
                var errors: [String] = []
                _ = await Self.eventually {
                    attempt += 1
                    let key = "ej-after:\(attempt)"
                    guard fleet.serverIndex(forKey: key) == victim else { return false }
                    switch try? await client.send(["SET", key, "moved"]) {
                    case .simpleString?:
                        rehashed = key
                        return true
                    case .simpleError(let message)?:
                        errors.append(String(buffer: message))
                        return false
                    default:
                        return false
                    }
                }
                #expect(errors.allSatisfy { $0.hasPrefix("ERR pool-proxy:") }, "\(errors.prefix(3))")
                let ejectedStats = await fleet.proxy.twemproxyStats().pools[0]
                #expect(ejectedStats.serverEjects >= 1, "server_ejects")
                #expect(ejectedStats.servers[victim].serverEOF >= 1, "server_eof")
                let markedEjected = await Self.eventually {
                    await fleet.proxy.twemproxyStats().pools[0].servers[victim].serverEjectedAt > 0
                }
                #expect(markedEjected, "server_ejected_at is set while the server is out")
                if let rehashed {
                    let holders = try [0, 1].filter { try fleet.backends[$0].cli(["EXISTS", rehashed]).hasPrefix("1") }
                    #expect(holders.count == 1, "\(rehashed), a key of the ejected server, went to a live one")
                } else {
                    Issue.record(
                        "no write to the dead server's keys succeeded after its ejection; errors: \(errors.suffix(3))"
                    )
                }

                try fleet.backends[victim].restart()
                attempt = 0
                let readmitted = await Self.eventually(within: .seconds(30)) {
                    attempt += 1
                    let key = "ej-back:\(attempt)"
                    guard fleet.serverIndex(forKey: key) == victim,
                        case .simpleString? = try? await client.send(["SET", key, "home"])
                    else { return false }
                    return (try? fleet.backends[victim].cli(["EXISTS", key]))?.hasPrefix("1") == true
                }
                #expect(readmitted, "after the restart and the retry timeout the server takes its keys again")
                let stats = await fleet.proxy.twemproxyStats().pools[0]
                #expect(
                    stats.servers[victim].serverEjectedAt == 0,
                    "server_ejected_at is cleared once the server is back"
                )
                #expect(client.isHealthy, "the client kept its connection throughout")
                await client.close()
            }
        }
    }

    /// A SIGSTOPped backend keeps its sockets but answers nothing: requests to it fail with a timeout error
    /// (about `timeout` later), the others are served, and after SIGCONT it answers again.
    @Test func pausedBackendTimesOutThenRecovers() async throws {
        try await ProxyBlockingThread.perform {
            try await BackendFleet.with(backends: 3) { pool in
                pool.timeout = .seconds(1)
            } body: { fleet in
                let client = try await fleet.connect()
                let frozen = fleet.keys(on: 0, count: 1, prefix: "frozen")[0]
                let live = fleet.keys(on: 1, count: 1, prefix: "live")[0]
                #expect(try await client.send(["SET", frozen, "1"]) == .simpleString(ByteBuffer(string: "OK")))
                #expect(try await client.send(["SET", live, "2"]) == .simpleString(ByteBuffer(string: "OK")))

                fleet.backends[0].pause()
                for _ in 0..<3 {
                    let reply = try await client.send(["GET", frozen])
                    #expect(Self.isBackendError(reply, fleet.serverName(0), containing: "timeout"), "\(reply)")
                    #expect(try await client.send(["GET", live]) == .bulkString(ByteBuffer(string: "2")))
                }
                let stats = await fleet.proxy.twemproxyStats().pools[0].servers[0]
                #expect(stats.serverTimedOut >= 1, "server_timedout")

                fleet.backends[0].resume()
                let recovered = await Self.eventually {
                    (try? await client.send(["GET", frozen])) == .bulkString(ByteBuffer(string: "1"))
                }
                #expect(recovered, "the resumed backend answers again")
                #expect(client.isHealthy)
                await client.close()
            }
        }
    }

    /// A backend that accepts connections and reads requests but never answers: timeout errors, no hang, and
    /// a split MGET touching it fails as a whole with that error.
    @Test func silentBackendTimesOut() async throws {
        try await ProxyBlockingThread.perform {
            try await BackendFleet.with(backends: 2, silentBackends: 1) { pool in
                pool.timeout = .seconds(1)
            } body: { fleet in
                let client = try await fleet.connect()
                let mute = fleet.keys(on: 2, count: 1, prefix: "mute")[0]
                let live = fleet.keys(on: 0, count: 1, prefix: "live")[0]
                #expect(try await client.send(["SET", live, "v"]) == .simpleString(ByteBuffer(string: "OK")))
                for _ in 0..<3 {
                    let reply = try await client.send(["GET", mute])
                    #expect(Self.isBackendError(reply, fleet.serverName(2), containing: "timeout"), "\(reply)")
                    #expect(try await client.send(["GET", live]) == .bulkString(ByteBuffer(string: "v")))
                }
                let merged = try await client.send(["MGET", live, mute])
                #expect(Self.isBackendError(merged, fleet.serverName(2), containing: "timeout"), "\(merged)")
                #expect(try await client.send(["PING"]) == .simpleString(ByteBuffer(string: "PONG")))
                #expect(client.isHealthy)
                await client.close()
            }
        }
    }

    // MARK: - Helpers

    /// SETs unique keys (`w<worker>:<n>`, value = key) on one connection until the ledger stops, recording
    /// each outcome.
    private static func writeUntilStopped(
        _ client: RESPConnection,
        worker: Int,
        fleet: BackendFleet,
        ledger: BackendWriteLedger
    ) async {
        var sequence = 0
        while !ledger.isStopped {
            sequence += 1
            let key = "w\(worker):\(sequence)"
            let write = BackendWriteLedger.Write(key: key, server: fleet.serverIndex(forKey: key), phase: ledger.phase)
            do {
                switch try await client.send(["SET", key, key]) {
                case .simpleString: ledger.acknowledged(write)
                case .simpleError(let message): ledger.failed(write, message: String(buffer: message))
                case let other: ledger.failed(write, message: "unexpected reply \(other)")
                }
            } catch {
                ledger.hung("\(key): \(error)")
                return
            }
            if sequence % 16 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
        }
    }

    private static func isBackendError(_ reply: RESPValue, _ name: String, containing word: String) -> Bool {
        guard case .simpleError(let message) = reply else { return false }
        let text = String(buffer: message)
        return text.hasPrefix("ERR pool-proxy: backend \(name) ") && text.contains(word)
    }

    /// Polls `condition` every 20 ms until it holds or `within` has passed.
    static func eventually(
        within timeout: Duration = .seconds(15),
        _ condition: () async throws -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
