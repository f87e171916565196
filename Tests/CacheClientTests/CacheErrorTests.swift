import CacheClient
import Testing

@Suite struct CacheErrorTests {
    @Test func errorsNameTheirNodeAndKind() {
        let error = CacheError.unavailable(node: "127.0.0.1:6379", reason: "circuit breaker open")
        #expect(error.node == "127.0.0.1:6379")
        #expect("\(error)" == "127.0.0.1:6379 unavailable: circuit breaker open")
        #expect(CacheError.codec("x").node == nil)
        #expect(CacheError.timeout(node: "n", reason: "r") != CacheError.unavailable(node: "n", reason: "r"))
    }

    @Test func statsStartAtZero() throws {
        let client = try CacheClient(configuration: .default)
        let stats = client.stats()
        #expect(stats.hits == 0 && stats.misses == 0 && stats.errors == 0 && stats.hitRate == 0)
        #expect(stats.nodes.count == 1 && stats.nodes[0].name == "127.0.0.1:6379")
        #expect(stats.compression.ratio == 1)
        let exposition = client.prometheusExposition()
        #expect(exposition.contains("cache_hits_total 0"))
        #expect(exposition.contains("cache_pool_connections"))
    }

    @Test func callsBeforeStartFailFastAsUnavailable() async throws {
        let client = try CacheClient(configuration: .default)
        await #expect(throws: CacheError.self) { try await client.get("k") }
        #expect(client.stats().unavailable == 1)
    }
}
