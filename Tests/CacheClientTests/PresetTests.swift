import CacheClient
import Testing

/// The presets carry go-cachex's numbers (Default / HighPerformance / Production connection pool configs).
@Suite struct PresetTests {
    @Test func defaultMirrorsGoCachex() {
        let preset = CacheClientConfiguration.default
        #expect(preset.poolSize == 20)
        #expect(preset.minimumIdleConnections == 10)
        #expect(preset.maxRetries == 3)
        #expect(preset.poolTimeout == .seconds(30))
        #expect(preset.idleTimeout == .seconds(300))
        #expect(preset.idleCheckFrequency == .seconds(60))
        #expect(preset.dialTimeout == .seconds(5))
        #expect(preset.readTimeout == .seconds(3))
        #expect(preset.writeTimeout == .seconds(3))
        #expect(preset.healthCheckInterval == .seconds(30))
        #expect(preset.healthCheckTimeout == .seconds(5))
        #expect(preset.connectionWarming)
        #expect(preset.connectionWarmingTimeout == .seconds(10))
        #expect(!preset.loadBalancing)
        #expect(preset.circuitBreakerEnabled)
        #expect(!preset.tls.isEnabled)
        #expect(preset.compressionThreshold == 1024)
        #expect(preset.hash == .fnv1a64)
        #expect(preset.servers == [CacheServer(host: "127.0.0.1", port: 6379)])
    }

    @Test func highPerformanceMirrorsGoCachex() {
        let preset = CacheClientConfiguration.highPerformance
        #expect(preset.poolSize == 100)
        #expect(preset.minimumIdleConnections == 50)
        #expect(preset.maxRetries == 5)
        #expect(preset.poolTimeout == .seconds(10))
        #expect(preset.idleTimeout == .seconds(120))
        #expect(preset.idleCheckFrequency == .seconds(30))
        #expect(preset.dialTimeout == .seconds(5))
        #expect(preset.readTimeout == .seconds(1))
        #expect(preset.writeTimeout == .seconds(1))
        #expect(preset.healthCheckInterval == .seconds(15))
        #expect(preset.healthCheckTimeout == .seconds(2))
        #expect(preset.connectionWarmingTimeout == .seconds(5))
        #expect(preset.loadBalancing)
        #expect(preset.circuitBreakerEnabled)
        #expect(!preset.tls.isEnabled)
    }

    @Test func productionMirrorsGoCachexWithVerifiedTLS() {
        let preset = CacheClientConfiguration.production
        #expect(preset.poolSize == 200)
        #expect(preset.minimumIdleConnections == 100)
        #expect(preset.maxRetries == 3)
        #expect(preset.poolTimeout == .seconds(60))
        #expect(preset.idleTimeout == .seconds(600))
        #expect(preset.idleCheckFrequency == .seconds(120))
        #expect(preset.dialTimeout == .seconds(10))
        #expect(preset.readTimeout == .seconds(5))
        #expect(preset.writeTimeout == .seconds(5))
        #expect(preset.healthCheckInterval == .seconds(60))
        #expect(preset.healthCheckTimeout == .seconds(10))
        #expect(preset.connectionWarmingTimeout == .seconds(15))
        #expect(preset.loadBalancing)
        #expect(preset.circuitBreakerEnabled)
        #expect(preset.tls.isEnabled)
        #expect(preset.tls.verifiesCertificates)
    }

    @Test func presetsAreFoundByNameAndOverridable() throws {
        #expect(CacheClientConfiguration.preset(named: "high-performance")?.poolSize == 100)
        #expect(CacheClientConfiguration.preset(named: "production")?.tls.isEnabled == true)
        #expect(CacheClientConfiguration.preset(named: "nope") == nil)
        var configuration = CacheClientConfiguration.production
        configuration.poolSize = 8
        configuration.minimumIdleConnections = 2
        configuration.tls.verifiesCertificates = false
        try configuration.validate()
        #expect(configuration.poolSize == 8 && !configuration.tls.verifiesCertificates)
    }

    @Test func invalidConfigurationsAreRefused() {
        var configuration = CacheClientConfiguration.default
        configuration.minimumIdleConnections = 21
        #expect(throws: CacheClientConfiguration.ValidationError.self) { try configuration.validate() }
        configuration = .default
        configuration.servers = []
        #expect(throws: CacheClientConfiguration.ValidationError.self) { try configuration.validate() }
    }
}
