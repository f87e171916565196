import Foundation
import PoolProxyConfig
import Testing

@Suite("docs/pool-proxy-configuration.md")
struct DocumentationExampleTests {
    /// The first ```yaml block of the configuration guide, so the documented example cannot rot.
    static func documentedExample() throws -> String {
        let guide = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/pool-proxy-configuration.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\n"))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func exampleParses() throws {
        let configuration = try ProxyConfiguration(yaml: try Self.documentedExample(), file: "example.yml")
        #expect(configuration.pools.map(\.name) == ["alpha", "beta", "omega", "epsilon", "zeta"])
        #expect(configuration.pools[2].listen == .unix(path: "/var/run/pool-proxy/omega.sock", permissions: 0o660))
        #expect(configuration.pools[3].circuitBreaker?.failureRatePercent == 25)
        #expect(configuration.pools[4].healthCheck == nil)
    }
}
