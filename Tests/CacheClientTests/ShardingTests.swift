import CacheClient
import Foundation
import LoadBalancer
import Testing

/// The client must place every key where pool-proxy (and twemproxy) would, given the same server list.
@Suite struct ShardingTests {
    static func client(_ servers: [CacheServer]) throws -> CacheClient {
        var configuration = CacheClientConfiguration.default
        configuration.servers = servers
        return try CacheClient(configuration: configuration)
    }

    @Test func matchesTwemproxyRouterWithFnv1a64Ketama() throws {
        let servers = (0..<5).map { CacheServer(host: "127.0.0.1", port: 7000 + $0) }
        let client = try Self.client(servers)
        let router = TwemproxyRouter(servers: servers.map(\.twemproxyServer), hash: .fnv1a64, distribution: .ketama)
        for index in 0..<2_000 {
            let key = "user:\(index)"
            #expect(client.node(forKey: key) == servers[router.index(forKey: Array(key.utf8))!].description)
        }
    }

    /// Placements a real nutcracker 0.5.0 chose (LoadBalancer's fixture, from Scripts/gen-ketama-fixture).
    @Test func matchesRealNutcrackerPlacements() throws {
        let fixture = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Packages/LoadBalancer/Tests/Fixtures/twemproxy-placement.txt")
        let text = try String(contentsOf: fixture, encoding: .utf8)
        var checked = 0
        var servers: [String] = []
        var hash = ""
        var distribution = ""
        var tagged = false
        var keys: [(String, Int)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let value = parts.count > 1 ? parts[1] : ""
            switch parts[0] {
            case "case": (servers, keys, tagged) = ([], [], false)
            case "hash": hash = value
            case "distribution": distribution = value
            case "hash_tag": tagged = true
            case "server": servers.append(value)
            case "key":
                let fields = value.split(separator: " ")
                let hex = Array(fields[0].utf8)
                let bytes =
                    fields[0] == "-"
                    ? []
                    : stride(from: 0, to: hex.count, by: 2).map {
                        UInt8(String(decoding: hex[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
                    }
                if let key = String(validating: bytes, as: UTF8.self) { keys.append((key, Int(fields[1])!)) }
            case "end":
                guard hash == "fnv1a_64", distribution == "ketama", !tagged else { continue }
                let parsed = servers.compactMap(CacheServer.init(parsing:))
                let ports = parsed.map(\.port)
                // Distinct ports only: the fixture's INDEX names the first server line on a redis-server.
                guard Set(ports).count == ports.count else { continue }
                let client = try Self.client(parsed)
                for (key, index) in keys {
                    #expect(client.node(forKey: key) == parsed[index].description, "key \(key)")
                    checked += 1
                }
            default: break
            }
        }
        #expect(checked > 100)
    }
}
