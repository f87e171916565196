import Testing

@testable import LoadBalancer

@Suite struct TwemproxyRouterTests {
    static let keys: [[UInt8]] = (0..<2000).map { Array("key:\($0)".utf8) }

    @Test func modulaFollowsTwemproxysNameOrderButReportsConfigIndices() {
        // twemproxy orders "a" < "db" < "web" (shorter first), so slot 0 is "a", the second configured server.
        let servers = ["h:1:1 web", "h:2:1 a", "h:3:1 db"].compactMap(TwemproxyServer.init(parsing:))
        let router = TwemproxyRouter(servers: servers, hash: .crc32a, distribution: .modula)
        for key in Self.keys.prefix(200) {
            let expected = [1, 2, 0][Int(CRC32.ieee(key) % 3)]
            #expect(router.index(forKey: key) == expected)
        }
    }

    @Test func ketamaPlacementDoesNotDependOnConfigOrder() {
        let entries = ["h:1:1 web", "h:2:2 a", "h:3:1 db", "h:4:1 cache"]
        let forward = TwemproxyRouter(servers: entries.compactMap(TwemproxyServer.init(parsing:)))
        let backward = TwemproxyRouter(servers: entries.reversed().compactMap(TwemproxyServer.init(parsing:)))
        for key in Self.keys {
            #expect(forward.servers[forward.index(forKey: key)!] == backward.servers[backward.index(forKey: key)!])
        }
    }

    @Test func ejectionUsesConfigIndices() {
        let servers = ["h:1:1 web", "h:2:1 a", "h:3:1 db"].compactMap(TwemproxyServer.init(parsing:))
        for distribution in TwemproxyDistribution.allCases {
            var router = TwemproxyRouter(servers: servers, distribution: distribution)
            router.setEjected(true, at: 0)
            var generator = SplitMix64(seed: 4)
            let chosen = Set(Self.keys.map { router.index(forKey: $0, using: &generator)! })
            #expect(chosen == [1, 2], "\(distribution)")
        }
    }

    @Test func randomIgnoresTheKeyAndSpreadsUniformly() {
        let servers = ["h:1:1", "h:2:5", "h:3:1"].compactMap(TwemproxyServer.init(parsing:))
        let router = TwemproxyRouter(servers: servers, distribution: .random)
        var generator = SplitMix64(seed: 12)
        var hits = [0, 0, 0]
        for _ in 0..<30_000 { hits[router.index(forKey: Array("same".utf8), using: &generator)!] += 1 }
        #expect(hits.allSatisfy { abs($0 - 10_000) < 500 })
    }
}
