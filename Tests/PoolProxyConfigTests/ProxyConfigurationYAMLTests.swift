import Foundation
import LoadBalancer
import PoolProxyConfig
import Testing

@Suite("nutcracker.yml parsing")
struct ProxyConfigurationYAMLTests {
    let configuration: ProxyConfiguration

    init() throws {
        self.configuration = try ProxyConfiguration(yaml: NutcrackerExamples.full, file: "nutcracker.yml")
    }

    private func pool(_ name: String) throws -> ServerPoolConfiguration {
        try #require(self.configuration.pools.first { $0.name == name })
    }

    @Test func poolsKeepFileOrder() {
        #expect(
            self.configuration.pools.map(\.name) == ["alpha", "beta", "gamma", "delta", "omega", "epsilon", "zeta"]
        )
    }

    @Test func alpha() throws {
        let alpha = try self.pool("alpha")
        var expected = ServerPoolConfiguration(name: "alpha", listen: .tcp(host: "127.0.0.1", port: 22121))
        expected.hash = .fnv1a64
        expected.distribution = .ketama
        expected.autoEjectHosts = true
        expected.redis = true
        expected.serverRetryTimeout = .milliseconds(2000)
        expected.serverFailureLimit = 1
        expected.servers = [TwemproxyServer(host: "127.0.0.1", port: 6379, weight: 1)]
        #expect(alpha == expected)
    }

    @Test func betaHasHashTagAuthDatabaseAndNamedServers() throws {
        let beta = try self.pool("beta")
        #expect(beta.listen == .tcp(host: "127.0.0.1", port: 22122))
        #expect(beta.hashTag == TwemproxyHashTag("{}"))
        #expect(beta.autoEjectHosts == false)
        #expect(beta.timeout == .milliseconds(400))
        #expect(beta.redisAuth == "s3cret")
        #expect(beta.redisDatabase == 2)
        #expect(beta.servers.map(\.name) == ["server1", "server2", "server3", "server4"])
        #expect(beta.servers.map(\.port) == [6380, 6381, 6382, 6383])
        #expect(beta.servers.allSatisfy { $0.host == "127.0.0.1" && $0.weight == 1 })
        #expect(beta.servers[0].ketamaName == "server1")
    }

    @Test func gammaSetsEveryNumericTwemproxyKey() throws {
        let gamma = try self.pool("gamma")
        #expect(gamma.hash == .murmur)
        #expect(gamma.distribution == .modula)
        #expect(gamma.timeout == .milliseconds(400))
        #expect(gamma.backlog == 1024)
        #expect(gamma.preconnect)
        #expect(gamma.autoEjectHosts)
        #expect(gamma.serverRetryTimeout == .milliseconds(2000))
        #expect(gamma.serverFailureLimit == 3)
        #expect(gamma.serverConnections == 4)
        #expect(gamma.clientConnections == 10000)
        #expect(gamma.tcpKeepAlive)
        #expect(
            gamma.servers == [
                TwemproxyServer(host: "10.0.0.1", port: 6379, weight: 2),
                TwemproxyServer(host: "10.0.0.2", port: 6379, weight: 1),
            ]
        )
    }

    @Test func deltaUsesIPv6() throws {
        let delta = try self.pool("delta")
        #expect(delta.listen == .tcp(host: "::1", port: 22124))
        #expect(delta.listen.description == "[::1]:22124")
        #expect(delta.hash == .md5)
        #expect(delta.distribution == .random)
        #expect(
            delta.servers == [
                TwemproxyServer(host: "::1", port: 6390, weight: 1),
                TwemproxyServer(host: "::1", port: 6391, weight: 1, name: "named-v6"),
            ]
        )
    }

    @Test func omegaListensOnAUnixSocketWithPermissions() throws {
        let omega = try self.pool("omega")
        #expect(omega.listen == .unix(path: "/tmp/gamma", permissions: 0o666))
        #expect(omega.hash == .hsieh)
        #expect(omega.servers.map(\.weight) == [100000, 1])
    }

    @Test func untouchedKeysKeepTwemproxyDefaults() throws {
        let omega = try self.pool("omega")
        let defaults = ServerPoolConfiguration(name: "omega", listen: omega.listen)
        #expect(omega.hashTag == nil)
        #expect(omega.timeout == nil)
        #expect(omega.backlog == 512)
        #expect(omega.preconnect == false)
        #expect(omega.redisAuth == nil)
        #expect(omega.redisDatabase == 0)
        #expect(omega.serverConnections == 1)
        #expect(omega.serverRetryTimeout == .seconds(30))
        #expect(omega.serverFailureLimit == 2)
        #expect(omega.clientConnections == 0)
        #expect(omega.tcpKeepAlive == false)
        #expect(omega.healthCheck == defaults.healthCheck)
        #expect(omega.circuitBreaker == defaults.circuitBreaker)
        #expect(omega.dedicatedConnections == defaults.dedicatedConnections)
        #expect(omega.clientMaxPending == defaults.clientMaxPending)
        #expect(omega.clientMaxOutputBytes == defaults.clientMaxOutputBytes)
        #expect(omega.clientIdleTimeout == nil)
        #expect(omega.clientParkAfter == .seconds(5), "parking is on by default")
        #expect(omega.clientMaxBulkLength == defaults.clientMaxBulkLength)
        #expect(omega.connectTimeout == defaults.connectTimeout)
    }

    @Test func epsilonSetsEveryExtensionKey() throws {
        let epsilon = try self.pool("epsilon")
        var check = HealthCheckSettings()
        check.interval = .milliseconds(2000)
        check.timeout = .milliseconds(250)
        check.healthyThreshold = 2
        check.unhealthyThreshold = 3
        #expect(epsilon.healthCheck == check)
        var breaker = CircuitBreakerSettings()
        breaker.failureRatePercent = 25.5
        breaker.windowSize = 200
        breaker.minimumCalls = 50
        breaker.openDuration = .milliseconds(500)
        breaker.maxOpenDuration = .milliseconds(60000)
        #expect(epsilon.circuitBreaker == breaker)
        #expect(epsilon.dedicatedConnections == 16)
        #expect(epsilon.clientMaxPending == 256)
        #expect(epsilon.clientMaxOutputBytes == 1_048_576)
        #expect(epsilon.clientIdleTimeout == .milliseconds(300_000))
        #expect(epsilon.clientParkAfter == .milliseconds(1_500))
        #expect(epsilon.clientMaxBulkLength == 1_048_576)
        #expect(epsilon.connectTimeout == .milliseconds(250))
        #expect(epsilon.listen == .tcp(host: "0.0.0.0", port: 22125))
        #expect(epsilon.servers.map(\.ketamaName) == ["a", "b"])
    }

    @Test func zetaTurnsThingsOffAndNormalisesZeroes() throws {
        let zeta = try self.pool("zeta")
        #expect(zeta.listen == .unix(path: "/var/run/pool-proxy.sock", permissions: nil))
        #expect(zeta.healthCheck == nil)
        #expect(zeta.circuitBreaker == nil)
        #expect(zeta.timeout == nil)
        #expect(zeta.clientIdleTimeout == nil)
        #expect(zeta.clientParkAfter == nil, "0 never parks")
        #expect(zeta.serverFailureLimit == 1)
    }

    @Test func trueSectionsMeanDefaults() throws {
        let yaml = NutcrackerExamples.alpha("  health_check: true\n  circuit_breaker: true\n")
        let alpha = try ProxyConfiguration(yaml: yaml, file: "nutcracker.yml").pools[0]
        #expect(alpha.healthCheck == HealthCheckSettings())
        #expect(alpha.circuitBreaker == CircuitBreakerSettings())
    }

    @Test func redisMayBeLeftOutAndQuotedNumbersAreAccepted() throws {
        let yaml = NutcrackerExamples.alpha("  timeout: \"250\"\n  preconnect: \"true\"\n")
        let alpha = try ProxyConfiguration(yaml: yaml, file: "nutcracker.yml").pools[0]
        #expect(alpha.redis)
        #expect(alpha.timeout == .milliseconds(250))
        #expect(alpha.preconnect)
    }

    @Test func loadsFromDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("PoolProxyConfigTests-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nutcracker.yml").path
        try NutcrackerExamples.full.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ProxyConfiguration.load(file: path) == self.configuration)
    }

    @Test func missingFileIsReported() {
        let error = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration.load(file: "/nonexistent/nutcracker.yml")
        }
        #expect(error?.description == "/nonexistent/nutcracker.yml: cannot open the file: No such file or directory")
    }

    @Test func listenAddressParsing() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:22121") == .tcp(host: "127.0.0.1", port: 22121))
        #expect(try ListenAddress(parsing: "localhost:1") == .tcp(host: "localhost", port: 1))
        #expect(try ListenAddress(parsing: "[fe80::1]:65535") == .tcp(host: "fe80::1", port: 65535))
        #expect(try ListenAddress(parsing: "::1:22121") == .tcp(host: "::1", port: 22121))
        #expect(try ListenAddress(parsing: "/tmp/a.sock") == .unix(path: "/tmp/a.sock", permissions: nil))
        #expect(try ListenAddress(parsing: "/tmp/a.sock 0600") == .unix(path: "/tmp/a.sock", permissions: 0o600))
        #expect(try ListenAddress(parsing: "/tmp/a.sock 777") == .unix(path: "/tmp/a.sock", permissions: 0o777))
        #expect(throws: ConfigurationError(file: "", key: "listen", line: nil, reason: "missing host in ':22121'")) {
            try ListenAddress(parsing: ":22121")
        }
    }
}
