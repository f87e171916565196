extension CacheClientConfiguration {
    /// go-cachex's `DefaultOptimizedConnectionPoolConfig`: 20 connections per node (10 kept warm), 30 s pool
    /// timeout, 5 min idle timeout, 5 s dial / 3 s read and write timeouts, health checks every 30 s (5 s
    /// timeout), 10 s warming, 3 retries, breaker on, load balancing off, no TLS.
    ///
    /// ```swift
    /// var configuration = CacheClientConfiguration.default
    /// configuration.servers = [CacheServer(host: "127.0.0.1", port: 6379)]
    /// ```
    public static var `default`: CacheClientConfiguration { CacheClientConfiguration() }

    /// go-cachex's `HighPerformanceConnectionPoolConfig`: 100 connections per node (50 kept warm), 10 s pool
    /// timeout, 2 min idle timeout, 5 s dial / 1 s read and write timeouts, health checks every 15 s (2 s
    /// timeout), 5 s warming, 5 retries, breaker on, load balancing on, no TLS.
    public static var highPerformance: CacheClientConfiguration {
        var configuration = CacheClientConfiguration()
        configuration.poolSize = 100
        configuration.minimumIdleConnections = 50
        configuration.maxRetries = 5
        configuration.poolTimeout = .seconds(10)
        configuration.idleTimeout = .seconds(2 * 60)
        configuration.idleCheckFrequency = .seconds(30)
        configuration.dialTimeout = .seconds(5)
        configuration.readTimeout = .seconds(1)
        configuration.writeTimeout = .seconds(1)
        configuration.healthCheckInterval = .seconds(15)
        configuration.healthCheckTimeout = .seconds(2)
        configuration.connectionWarmingTimeout = .seconds(5)
        configuration.loadBalancing = true
        configuration.circuitBreakerEnabled = true
        return configuration
    }

    /// go-cachex's `ProductionConnectionPoolConfig`: 200 connections per node (100 kept warm), 60 s pool timeout,
    /// 10 min idle timeout, 10 s dial / 5 s read and write timeouts, health checks every 60 s (10 s timeout),
    /// 15 s warming, 3 retries, breaker on, load balancing on, and TLS on with certificate verification.
    public static var production: CacheClientConfiguration {
        var configuration = CacheClientConfiguration()
        configuration.tls = CacheTLSConfiguration(isEnabled: true, verifiesCertificates: true)
        configuration.poolSize = 200
        configuration.minimumIdleConnections = 100
        configuration.maxRetries = 3
        configuration.poolTimeout = .seconds(60)
        configuration.idleTimeout = .seconds(10 * 60)
        configuration.idleCheckFrequency = .seconds(2 * 60)
        configuration.dialTimeout = .seconds(10)
        configuration.readTimeout = .seconds(5)
        configuration.writeTimeout = .seconds(5)
        configuration.healthCheckInterval = .seconds(60)
        configuration.healthCheckTimeout = .seconds(10)
        configuration.connectionWarmingTimeout = .seconds(15)
        configuration.loadBalancing = true
        configuration.circuitBreakerEnabled = true
        return configuration
    }

    /// A preset by name: `default`, `high-performance` (or `highPerformance`) or `production`.
    ///
    /// ```swift
    /// let configuration = CacheClientConfiguration.preset(named: "production")
    /// ```
    public static func preset(named name: String) -> CacheClientConfiguration? {
        switch name.lowercased() {
        case "default": .default
        case "high-performance", "highperformance", "high_performance": .highPerformance
        case "production": .production
        default: nil
        }
    }
}
