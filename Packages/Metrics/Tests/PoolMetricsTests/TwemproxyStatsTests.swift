import Foundation
import Testing

@testable import PoolMetrics

@Suite struct TwemproxyStatsTests {
    private func sampleDocument(timestamp: Int64 = 1_795_433_506) -> TwemproxyStats {
        var named = TwemproxyServerStats(name: "server1")
        named.requests = 12
        named.requestBytes = 340
        named.serverEjectedAt = 1_795_433_000_000_000
        let unnamed = TwemproxyServerStats(name: "127.0.0.1:6379")
        var alpha = TwemproxyPoolStats(name: "alpha", servers: [named, unnamed])
        alpha.clientConnections = 1
        var stats = TwemproxyStats(source: "vm", uptime: 1, timestamp: timestamp, pools: [alpha])
        stats.totalConnections = 3
        stats.currentConnections = 2
        return stats
    }

    @Test func writesTwemproxysExactBytes() {
        let expected =
            #"{"service":"nutcracker", "source":"vm", "version":"0.5.0", "uptime":1, "timestamp":1795433506, "#
            + #""total_connections":3, "curr_connections":2, "alpha": {"client_eof":0, "client_err":0, "#
            + #""client_connections":1, "server_ejects":0, "forward_error":0, "fragments":0, "server1": "#
            + #"{"server_eof":0, "server_err":0, "server_timedout":0, "server_connections":0, "#
            + #""server_ejected_at":1795433000000000, "requests":12, "request_bytes":340, "responses":0, "#
            + #""response_bytes":0, "in_queue":0, "in_queue_bytes":0, "out_queue":0, "out_queue_bytes":0},"#
            + #""127.0.0.1:6379": {"server_eof":0, "server_err":0, "server_timedout":0, "server_connections":0, "#
            + #""server_ejected_at":0, "requests":0, "request_bytes":0, "responses":0, "response_bytes":0, "#
            + #""in_queue":0, "in_queue_bytes":0, "out_queue":0, "out_queue_bytes":0}}}"# + "\n"
        #expect(self.sampleDocument().json() == expected)
    }

    @Test func isValidJSONEvenWithoutPoolsOrWithOddNames() throws {
        let empty = TwemproxyStats(source: "host \"a\"", uptime: 0, timestamp: 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(empty.json().utf8)) as? [String: Any]
        #expect(parsed?["source"] as? String == "host \"a\"")
        #expect(parsed?.count == 7)
        let lonely = TwemproxyStats(source: "h", uptime: 0, timestamp: 0, pools: [TwemproxyPoolStats(name: "p")])
        let parsedPool = try JSONSerialization.jsonObject(with: Data(lonely.json().utf8)) as? [String: Any]
        #expect((parsedPool?["p"] as? [String: Any])?.count == 6)
    }

    /// Starts redis-server and a real nutcracker on free loopback ports, reads nutcracker's stats port and checks
    /// that our document has the same keys, nesting and spacing.
    @Test(.timeLimit(.minutes(1)))
    func matchesARealNutcrackerStatsDocument() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pool-metrics-nutcracker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let redisPort = try LoopbackSocket.freePort()
        let listenPort = try LoopbackSocket.freePort()
        let statsPort = try LoopbackSocket.freePort()
        let configuration = """
            alpha:
              listen: 127.0.0.1:\(listenPort)
              redis: true
              servers:
               - 127.0.0.1:\(redisPort):1 server1
               - 127.0.0.1:\(redisPort):1

            """
        let configurationFile = directory.appendingPathComponent("nutcracker.yml")
        try configuration.write(to: configurationFile, atomically: true, encoding: .utf8)

        let redis = try ChildProcess(
            program: ChildProcess.locate(["/usr/local/bin/redis-server", "/usr/bin/redis-server"]),
            arguments: [
                "--port", "\(redisPort)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory.path,
            ],
            logFile: directory.appendingPathComponent("redis-server.log")
        )
        defer { redis.stop() }
        let nutcracker = try ChildProcess(
            program: ChildProcess.locate(["/usr/bin/nutcracker", "/usr/sbin/nutcracker"]),
            arguments: [
                "-c", configurationFile.path, "-s", "\(statsPort)", "-a", "127.0.0.1",
            ],
            logFile: directory.appendingPathComponent("nutcracker.log")
        )
        defer { nutcracker.stop() }

        var document: String?
        for _ in 0..<100 where document == nil {
            document = try LoopbackSocket.readToEnd(port: statsPort)
            if document == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let real = try #require(document, "nutcracker did not serve stats on \(statsPort): \(nutcracker.log)")

        var ours = TwemproxyStats(source: "x", uptime: 0, timestamp: 0)
        ours.pools = [
            TwemproxyPoolStats(
                name: "alpha",
                servers: [
                    TwemproxyServerStats(name: "server1"), TwemproxyServerStats(name: "127.0.0.1:\(redisPort)"),
                ]
            )
        ]
        let realKeys = try Self.keyPaths(of: real)
        let ourKeys = try Self.keyPaths(of: ours.json())
        #expect(realKeys == ourKeys)
        #expect(realKeys.contains("alpha.server1.server_ejected_at"))
        #expect(Self.shape(of: real) == Self.shape(of: ours.json()))
    }

    /// Every key as a dotted path from the root.
    private static func keyPaths(of json: String) throws -> Set<String> {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var paths: Set<String> = []
        func walk(_ object: [String: Any], _ prefix: String) {
            for (key, value) in object {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                paths.insert(path)
                if let nested = value as? [String: Any] { walk(nested, path) }
            }
        }
        walk(root, "")
        return paths
    }

    /// The text with every value replaced by `_`: what stays is names, order, nesting and spacing.
    private static func shape(of json: String) -> String {
        json.replacingOccurrences(of: #":("[^"]*"|-?[0-9]+)"#, with: ":_", options: .regularExpression)
    }
}
