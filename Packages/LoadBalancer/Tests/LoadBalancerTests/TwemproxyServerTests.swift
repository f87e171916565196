import Testing

@testable import LoadBalancer

@Suite struct TwemproxyServerTests {
    @Test func parsesTheNamedForm() throws {
        let server = try #require(TwemproxyServer(parsing: "10.0.0.1:6379:2 shard-a"))
        #expect(server.host == "10.0.0.1")
        #expect(server.port == 6379)
        #expect(server.weight == 2)
        #expect(server.name == "shard-a")
        #expect(server.ketamaName == "shard-a")
        #expect(server.description == "10.0.0.1:6379:2 shard-a")
    }

    @Test func withoutANameKetamaHashesHostAndPort() throws {
        let server = try #require(TwemproxyServer(parsing: "cache.local:6380:1"))
        #expect(server.name == nil)
        #expect(server.ketamaName == "cache.local:6380")
        #expect(server.weightedEndpoint.name == "cache.local:6380")
        #expect(server.weightedEndpoint.weight == 1)
    }

    @Test func port11211HashesTheHostAlone() throws {
        let server = try #require(TwemproxyServer(parsing: "127.0.0.1:11211:1"))
        #expect(server.ketamaName == "127.0.0.1")
    }

    @Test(arguments: ["", "10.0.0.1:6379", "10.0.0.1:6379:0", "10.0.0.1:70000:1", ":6379:1", "a:b:c", "h:1:1 n extra"])
    func rejectsMalformedEntries(entry: String) {
        #expect(TwemproxyServer(parsing: entry) == nil)
    }

    @Test func hostsMayContainColons() throws {
        let server = try #require(TwemproxyServer(parsing: "::1:6379:3"))
        #expect(server.host == "::1")
        #expect(server.port == 6379)
        #expect(server.weight == 3)
    }
}
