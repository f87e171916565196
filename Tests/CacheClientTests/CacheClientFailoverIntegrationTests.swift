import CacheClient
import NIOCore
import RedisTestSupport
import SocketIO
import Testing

/// Three nodes: warming, a node down at start, and a node killed and restarted on the same port.
@Suite(.blockingAllowed, .serialized) struct CacheClientFailoverIntegrationTests {
    static func keys(on node: String, of client: CacheClient, count: Int) -> [String] {
        (0..<10_000).lazy.map { "key:\($0)" }.filter { client.node(forKey: $0) == node }.prefix(count).map { $0 }
    }

    static func waitUntilListening(_ port: Int) async -> Bool {
        await CacheClientHarness.eventually(within: .seconds(10)) {
            guard let connection = try? await CacheClientHarness.bare(port) else { return false }
            await connection.close()
            return true
        }
    }

    @Test func warmingOpensAndPingsTheMinimumIdleConnectionsOfEveryNode() async throws {
        let first = try RedisServer.start()
        let second = try RedisServer.start()
        defer {
            first.stop()
            second.stop()
        }
        var configuration = CacheClientHarness.configuration(ports: [first.port, second.port])
        configuration.minimumIdleConnections = 3
        let (client, report) = try await CacheClientHarness.start(configuration)
        #expect(report.performed && report.isComplete)
        #expect(report.nodes.map(\.ready) == [3, 3])
        #expect(report.nodes.allSatisfy { $0.target == 3 && $0.error == nil })
        #expect(client.stats().warmedConnections == 6)
        #expect(client.stats().pool.idle + client.stats().pool.inUse >= 6)
        // The servers saw the connections (plus the health probe).
        let clients = try first.cli(["INFO", "clients"])
        let connected = clients.split(whereSeparator: \.isNewline).first { $0.hasPrefix("connected_clients:") }
        #expect(connected.flatMap { Int($0.split(separator: ":")[1]) } ?? 0 >= 3)
        await client.shutdown()
    }

    @Test func aNodeDownAtStartIsReportedAndItsKeysFailFast() async throws {
        let up = try RedisServer.start()
        defer { up.stop() }
        let downPort = try RedisServer.freeLoopbackPort()
        var configuration = CacheClientHarness.configuration(ports: [up.port, downPort])
        configuration.minimumIdleConnections = 2
        let started = ContinuousClock.now
        let (client, report) = try await CacheClientHarness.start(configuration)
        #expect(started.duration(to: .now) < configuration.connectionWarmingTimeout + .seconds(1))
        #expect(!report.isComplete)
        #expect(report.nodes[0].ready == 2 && report.nodes[0].isComplete)
        #expect(report.nodes[1].ready == 0 && report.nodes[1].error != nil)
        #expect(report.ready == 2 && report.target == 4)

        let downName = "127.0.0.1:\(downPort)"
        let downKey = Self.keys(on: downName, of: client, count: 1)[0]
        let upKey = Self.keys(on: "127.0.0.1:\(up.port)", of: client, count: 1)[0]
        let clock = ContinuousClock()
        let elapsed = await clock.measure {
            await #expect(throws: CacheError.self) { try await client.get(downKey) }
        }
        #expect(elapsed < .seconds(2))
        try await client.set(upKey, ByteBuffer(string: "fine"))
        #expect(try await client.get(upKey) == ByteBuffer(string: "fine"))
        await client.shutdown()
    }

    @Test func aKilledNodeFailsFastThenRecoversOnTheSamePortWhileTheOthersServe() async throws {
        let ports = try (0..<3).map { _ in try RedisServer.freeLoopbackPort() }
        var servers = try ports.map { try RedisProcess(port: $0) }
        defer { for server in servers { server.stop() } }
        for port in ports { #expect(await Self.waitUntilListening(port)) }

        let (client, report) = try await CacheClientHarness.start(CacheClientHarness.configuration(ports: ports))
        #expect(report.isComplete)
        let names = ports.map { "127.0.0.1:\($0)" }
        let victimKeys = Self.keys(on: names[1], of: client, count: 20)
        let survivorKeys =
            Self.keys(on: names[0], of: client, count: 10) + Self.keys(on: names[2], of: client, count: 10)
        for key in victimKeys + survivorKeys { try await client.set(key, ByteBuffer(string: key)) }

        servers[1].stop()

        // Every call for the victim's keys ends quickly with a typed error; soon they fail without any wait.
        let clock = ContinuousClock()
        var fastFailures = 0
        for round in 0..<60 {
            let key = victimKeys[round % victimKeys.count]
            var failure: CacheError?
            let elapsed = await clock.measure {
                do {
                    _ = try await client.get(key)
                } catch let error as CacheError {
                    failure = error
                } catch {
                    Issue.record("untyped error \(error)")
                }
            }
            #expect(elapsed < TestTime.scaled(.seconds(2)), "call \(round) took \(elapsed)")
            switch failure {
            case .unavailable?, .timeout?: break
            default: Issue.record("expected unavailable or timeout, got \(String(describing: failure))")
            }
            if case .unavailable? = failure, elapsed < .milliseconds(50) { fastFailures += 1 }
            // The other nodes are unaffected.
            let survivor = survivorKeys[round % survivorKeys.count]
            #expect(try await client.get(survivor) == ByteBuffer(string: survivor))
        }
        #expect(fastFailures > 40)
        let stats = client.stats()
        #expect(stats.unavailable + stats.timeouts >= 60)
        #expect(stats.nodes[1].isAvailable == false || stats.nodes[1].breakerState != .closed)
        #expect(stats.nodes[0].isAvailable && stats.nodes[2].isAvailable)

        servers[1] = try RedisProcess(port: ports[1])
        #expect(await Self.waitUntilListening(ports[1]))
        let recovered = await CacheClientHarness.eventually(within: .seconds(15)) {
            (try? await client.set(victimKeys[0], ByteBuffer(string: "back"))) != nil
        }
        #expect(recovered)
        #expect(try await client.get(victimKeys[0]) == ByteBuffer(string: "back"))
        #expect(client.stats().nodes[1].isAvailable)
        await client.shutdown()
    }
}
