import LoadBalancer
import PoolProxyConfig
import RedisTestSupport
import SocketIO
import Testing

/// Keys land on the server a real twemproxy would pick: the same 2,000 keys go through nutcracker and then through
/// pool-proxy, with the same three redis-servers and settings, and each backend's keyspace is compared.
@Suite(.blockingAllowed, .serialized, .enabled(if: NutcrackerProcess.isInstalled, "nutcracker is not installed"))
struct ShardedPlacementTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let hash: TwemproxyHash
        let distribution: TwemproxyDistribution
        let hashTag: String?

        var testDescription: String {
            "\(self.distribution.rawValue)+\(self.hash.configName)\(self.hashTag.map { " hash_tag \($0)" } ?? "")"
        }

        var nutcrackerSettings: [String] {
            var settings = ["hash: \(self.hash.configName)", "distribution: \(self.distribution.rawValue)"]
            if let hashTag { settings.append("hash_tag: \"\(hashTag)\"") }
            return settings
        }
    }

    static let cases: [Case] = [
        Case(hash: .fnv1a64, distribution: .ketama, hashTag: nil),
        Case(hash: .murmur, distribution: .ketama, hashTag: nil),
        Case(hash: .md5, distribution: .modula, hashTag: nil),
        Case(hash: .fnv1a64, distribution: .ketama, hashTag: "{}"),
    ]

    /// Plain keys, and keys with a `{tag}` in several positions (with and without a hash tag configured, the
    /// braces must be treated the same way by both proxies).
    static let keys: [String] = (0..<2_000).map { index in
        switch index % 4 {
        case 0: "user:\(index)"
        case 1: "{tag\(index % 37)}:item:\(index)"
        case 2: "item:\(index):{tag\(index % 37)}"
        default: "k\(index)-\(String(repeating: "x", count: index % 23))"
        }
    }

    @Test(arguments: Self.cases)
    func placementMatchesNutcracker(_ testCase: Case) async throws {
        // Blocking child processes run off the cooperative pool, which the in-process proxy needs.
        try await ProxyBlockingThread.perform { try await self.compare(testCase) }
    }

    private func compare(_ testCase: Case) async throws {
        let harness = try await ProxyHarness.start(backends: 3) { pool in
            pool.hash = testCase.hash
            pool.distribution = testCase.distribution
            pool.hashTag = testCase.hashTag.flatMap { TwemproxyHashTag($0) }
        }
        let nutcracker: NutcrackerProcess
        do {
            nutcracker = try NutcrackerProcess.start(
                servers: harness.servers.map(\.port),
                settings: testCase.nutcrackerSettings
            )
        } catch {
            await harness.stop()
            throw error
        }

        let throughNutcracker: [String: Int]
        let throughProxy: [String: Int]
        do {
            try await Self.setAll(Self.keys, port: nutcracker.port)
            nutcracker.stop()
            throughNutcracker = try Self.placement(harness)
            for server in harness.servers { _ = try server.cli(["FLUSHALL"]) }
            try await Self.setAll(Self.keys, port: harness.port)
            throughProxy = try Self.placement(harness)
        } catch {
            nutcracker.stop()
            await harness.stop()
            throw error
        }
        await harness.stop()

        #expect(throughNutcracker.count == Self.keys.count, "every key written through nutcracker is on a backend")
        #expect(throughProxy.count == Self.keys.count, "every key written through pool-proxy is on a backend")
        let used = Set(throughNutcracker.values)
        #expect(used.count == 3, "the keys spread over all three servers: \(used)")
        let misplaced = Self.keys.filter { throughNutcracker[$0] != throughProxy[$0] }
        let examples = misplaced.prefix(5).map {
            "\($0): nutcracker \(throughNutcracker[$0] ?? -1), pool-proxy \(throughProxy[$0] ?? -1)"
        }
        #expect(misplaced.isEmpty, "\(misplaced.count) keys placed differently, e.g. \(examples)")
    }

    private static func setAll(_ keys: [String], port: Int) async throws {
        let connection = try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: port))
        for batch in stride(from: 0, to: keys.count, by: 250) {
            let commands = keys[batch..<min(batch + 250, keys.count)].map { ["SET", $0, "v"] }
            let replies = try await connection.sendBatch(commands, timeout: TestTime.scaled(.seconds(10)))
            let failures = replies.filter { $0 != .simpleString("OK") }
            guard failures.isEmpty else {
                await connection.close()
                throw RedisServer.StartError(description: "SET through port \(port) failed: \(failures.first!)")
            }
        }
        await connection.close()
    }

    /// Which backend (index) holds each key, read with `SCAN` on each redis-server directly.
    private static func placement(_ harness: ProxyHarness) throws -> [String: Int] {
        var placement: [String: Int] = [:]
        for (index, server) in harness.servers.enumerated() {
            for key in try server.cli(["--scan"]).split(separator: "\n") where !key.isEmpty {
                placement[String(key)] = index
            }
        }
        return placement
    }
}
