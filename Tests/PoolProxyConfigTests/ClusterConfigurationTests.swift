import PoolProxyConfig
import Testing

@Suite("cluster pools")
struct ClusterConfigurationTests {
    @Test("cluster, cluster_refresh_interval and max_redirects decode; redis_db is refused")
    func decodes() throws {
        let pool = try ProxyConfiguration(
            yaml: NutcrackerExamples.alpha("  cluster: true\n  cluster_refresh_interval: 2000\n  max_redirects: 3\n"),
            file: "nutcracker.yml"
        ).pools[0]
        #expect(pool.cluster)
        #expect(pool.clusterRefreshInterval == .milliseconds(2000))
        #expect(pool.maxRedirects == 3)
        #expect(pool.readFrom == .master)
        let replicas = try ProxyConfiguration(
            yaml: NutcrackerExamples.alpha("  cluster: true\n  read_from: prefer_replica\n"),
            file: "nutcracker.yml"
        ).pools[0]
        #expect(replicas.readFrom == .preferReplica)
        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(yaml: NutcrackerExamples.alpha("  read_from: slave\n"), file: "n.yml")
        }

        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(yaml: NutcrackerExamples.alpha("  cluster: true\n  redis_db: 2\n"), file: "n.yml")
        }
        #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(yaml: NutcrackerExamples.alpha("  max_redirects: 0\n"), file: "n.yml")
        }
    }
}
