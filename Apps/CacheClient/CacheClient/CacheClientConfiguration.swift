import CircuitBreaker
import LoadBalancer

/// Everything a ``CacheClient`` needs: the nodes, the pool of each node, health checks, the circuit breaker,
/// compression and stampede protection.
///
/// Start from a preset (``default``, ``highPerformance``, ``production``, which mirror go-cachex's
/// configurations) and override what differs; every field is a `var`.
///
/// ```swift
/// var configuration = CacheClientConfiguration.production
/// configuration.servers = [CacheServer(host: "10.0.0.1"), CacheServer(host: "10.0.0.2")]
/// configuration.password = secret
/// configuration.tls.caFile = "/etc/redis/ca.crt"
/// configuration.compressionThreshold = 4096
/// let cache = try CacheClient(configuration: configuration)
/// ```
public struct CacheClientConfiguration: Sendable {
    // MARK: - Nodes and authentication

    /// The Redis nodes. Keys are sharded across them with twemproxy's ketama (``hash``), like pool-proxy.
    public var servers: [CacheServer]
    /// The password sent with `AUTH` on every new connection, if any.
    public var password: String?
    /// The ACL user sent with `AUTH`; `nil` authenticates as `default`.
    public var username: String?
    /// The database selected with `SELECT` on every new connection (pool-proxy and twemproxy only serve 0).
    public var database: Int
    /// TLS towards the nodes.
    public var tls: CacheTLSConfiguration

    // MARK: - Pool (per node)

    /// The most connections to one node (go-cachex `PoolSize`).
    public var poolSize: Int
    /// Connections to one node kept open even when idle, opened before ``CacheClient/start()`` returns when
    /// ``connectionWarming`` is on (go-cachex `MinIdleConns`).
    public var minimumIdleConnections: Int
    /// How long a request waits for a pooled connection before failing with ``CacheError/timeout(node:reason:)``
    /// (go-cachex `PoolTimeout`).
    public var poolTimeout: Duration
    /// Idle connections above the minimum are closed after this long unused (go-cachex `IdleTimeout`).
    public var idleTimeout: Duration
    /// How often the pool looks for idle connections to close (go-cachex `IdleCheckFrequency`).
    public var idleCheckFrequency: Duration
    /// How long a TCP connect, and separately a TLS handshake, may take (go-cachex `DialTimeout`).
    public var dialTimeout: Duration
    /// How long a request may wait for its reply once written (go-cachex `ReadTimeout`). SocketIO times a
    /// request from the moment it is handed to the connection, so the bound applied is
    /// `writeTimeout + readTimeout`.
    public var readTimeout: Duration
    /// How long writing a request may take (go-cachex `WriteTimeout`); see ``readTimeout``.
    public var writeTimeout: Duration
    /// Extra attempts, on another connection, for a request whose connection broke under it (peer closed or
    /// reset). Timeouts and refusals are never retried: retrying them would only make failing slower.
    public var maxRetries: Int
    /// The longest wait between two attempts to reconnect to a node that refuses connections.
    public var reconnectBackoffMaximum: Duration

    // MARK: - Features

    /// Open and PING ``minimumIdleConnections`` per node in ``CacheClient/start()``, within
    /// ``connectionWarmingTimeout`` (go-cachex `EnableConnectionWarming`).
    public var connectionWarming: Bool
    /// How long ``CacheClient/start()`` waits for warming (go-cachex `ConnectionWarmingTimeout`).
    public var connectionWarmingTimeout: Duration
    /// Spread concurrent requests over a node's connections by pipelining up to
    /// ``maximumRequestsPerConnection`` requests on each (go-cachex `EnableLoadBalancing`). When off, a
    /// connection carries one request at a time, as in go-redis.
    public var loadBalancing: Bool
    /// Requests in flight on one connection when ``loadBalancing`` is on.
    public var maximumRequestsPerConnection: Int
    /// A circuit breaker per node, so that requests to a failing node fail fast (go-cachex
    /// `EnableCircuitBreaker`).
    public var circuitBreakerEnabled: Bool
    /// The breaker's rules, used when ``circuitBreakerEnabled`` is on.
    public var circuitBreaker: CircuitBreakerConfiguration

    // MARK: - Health

    /// The delay between two active health checks (PING) of a node (go-cachex `HealthCheckInterval`).
    public var healthCheckInterval: Duration
    /// How long a health check may take before it counts as failed (go-cachex `HealthCheckTimeout`).
    public var healthCheckTimeout: Duration
    /// Consecutive failed checks that mark a node unhealthy; requests for its keys then fail fast.
    public var unhealthyThreshold: Int
    /// Consecutive successful checks that bring an unhealthy node back.
    public var healthyThreshold: Int
    /// Consecutive failed requests (passive outlier detection) that eject a node; `nil` turns it off.
    public var ejectAfterConsecutiveFailures: Int?
    /// How long a node ejected by outlier detection stays out before it is tried again.
    public var ejectionTime: Duration

    // MARK: - Sharding

    /// The key hash, as twemproxy's `hash:`; fnv1a_64 is twemproxy's and pool-proxy's default.
    public var hash: TwemproxyHash
    /// The hash tag, as twemproxy's `hash_tag:` (for example `{}`), or `nil`.
    public var hashTag: TwemproxyHashTag?

    // MARK: - Values

    /// Values of at least this many bytes are stored zlib-compressed; smaller ones raw.
    public var compressionThreshold: Int
    /// Whether large values are compressed at all. Compressed values are read either way.
    public var compressionEnabled: Bool
    /// Encodes and decodes `Codable` values.
    public var codec: any CacheCodec
    /// Probabilistic early refresh and TTL jitter for ``CacheClient/getOrSet(_:ttl:compute:)``; `nil` turns
    /// both off.
    public var earlyRefresh: EarlyRefreshPolicy?

    /// Creates a configuration with go-cachex's default numbers (the ``default`` preset) for the given servers.
    public init(servers: [CacheServer] = [CacheServer(host: "127.0.0.1", port: 6379)]) {
        self.servers = servers
        self.password = nil
        self.username = nil
        self.database = 0
        self.tls = CacheTLSConfiguration()
        self.poolSize = 20
        self.minimumIdleConnections = 10
        self.poolTimeout = .seconds(30)
        self.idleTimeout = .seconds(5 * 60)
        self.idleCheckFrequency = .seconds(60)
        self.dialTimeout = .seconds(5)
        self.readTimeout = .seconds(3)
        self.writeTimeout = .seconds(3)
        self.maxRetries = 3
        self.reconnectBackoffMaximum = .seconds(5)
        self.connectionWarming = true
        self.connectionWarmingTimeout = .seconds(10)
        self.loadBalancing = false
        self.maximumRequestsPerConnection = 32
        self.circuitBreakerEnabled = true
        self.circuitBreaker = Self.defaultBreaker
        self.healthCheckInterval = .seconds(30)
        self.healthCheckTimeout = .seconds(5)
        self.unhealthyThreshold = 1
        self.healthyThreshold = 1
        self.ejectAfterConsecutiveFailures = 5
        self.ejectionTime = .seconds(30)
        self.hash = .fnv1a64
        self.hashTag = nil
        self.compressionThreshold = 1024
        self.compressionEnabled = true
        self.codec = JSONCacheCodec()
        self.earlyRefresh = nil
    }

    /// Trips when half of the last 20 calls (at least 10) failed; stays open 5 s, doubling up to a minute.
    static var defaultBreaker: CircuitBreakerConfiguration {
        var breaker = CircuitBreakerConfiguration()
        breaker.slidingWindow = .countBased(calls: 20)
        breaker.minimumNumberOfCalls = 10
        breaker.failureRateThreshold = 0.5
        breaker.openDuration = OpenDurationPolicy(initial: .seconds(5), maximum: .seconds(60))
        return breaker
    }

    /// The request timeout handed to SocketIO: write and read together.
    var requestTimeout: Duration { self.writeTimeout + self.readTimeout }
}
