import LoadBalancer

/// One named server pool: twemproxy's keys, with twemproxy's defaults, plus pool-proxy's own extensions.
///
/// ```swift
/// var pool = ServerPoolConfiguration(name: "alpha", listen: .tcp(host: "127.0.0.1", port: 22121))
/// pool.servers = [TwemproxyServer(host: "127.0.0.1", port: 6379)]
/// pool.autoEjectHosts = true
/// ```
public struct ServerPoolConfiguration: Sendable, Hashable {
    // MARK: - twemproxy keys

    /// The pool's name (the YAML mapping key).
    public var name: String
    /// `listen`.
    public var listen: ListenAddress
    /// `hash`; twemproxy's default is fnv1a_64.
    public var hash: TwemproxyHash = .fnv1a64
    /// `hash_tag`: two characters, such as `{}`.
    public var hashTag: TwemproxyHashTag? = nil
    /// `distribution`; twemproxy's default is ketama.
    public var distribution: TwemproxyDistribution = .ketama
    /// `timeout` in milliseconds for each request to a server; `nil` (twemproxy's default, or 0 in the file)
    /// waits forever.
    public var timeout: Duration? = nil
    /// `backlog`, the TCP listen backlog.
    public var backlog: Int = 512
    /// `preconnect`: open the server connections at start instead of on first use.
    public var preconnect: Bool = false
    /// `redis`: must be true; pool-proxy speaks only the Redis protocol. Unlike twemproxy, a pool without the key is
    /// a Redis pool.
    public var redis: Bool = true
    /// `redis_auth`, as twemproxy means it: clients must `AUTH` with this password (as the `default` user), and
    /// it is sent to every server on each new connection unless ``backendAuth`` says otherwise. In the file it is
    /// the password itself, or `{ file: PATH }` or `{ env: NAME }`.
    public var redisAuth: String? = nil
    /// `redis_db`: the database selected on each new server connection.
    public var redisDatabase: Int = 0
    /// `server_connections`: multiplexed connections to each server, per event loop.
    public var serverConnections: Int = 1
    /// `auto_eject_hosts`: take a failing server out of the distribution.
    public var autoEjectHosts: Bool = false
    /// `server_retry_timeout` in milliseconds: how long an ejected server stays out.
    public var serverRetryTimeout: Duration = .seconds(30)
    /// `server_failure_limit`: consecutive failures that eject a server; at least 1 (a file's 0 reads as 1, which
    /// is how twemproxy behaves).
    public var serverFailureLimit: Int = 2
    /// `client_connections`: the most clients at once; 0 means no limit.
    public var clientConnections: Int = 0
    /// `tcpkeepalive`: TCP keep-alive on server connections.
    public var tcpKeepAlive: Bool = false
    /// `servers`: `host:port:weight [name]` entries.
    public var servers: [TwemproxyServer] = []

    // MARK: - pool-proxy extensions

    /// `health_check`: active PING checks on every server; `nil` turns them off.
    public var healthCheck: HealthCheckSettings? = HealthCheckSettings()
    /// `circuit_breaker`: per-server breaker; `nil` turns it off.
    public var circuitBreaker: CircuitBreakerSettings? = CircuitBreakerSettings()
    /// `dedicated_connections`: the most connections to one server (per event loop) lent to clients that need a
    /// connection of their own (MULTI, blocking commands, SELECT, pub/sub, ...).
    public var dedicatedConnections: Int = 64
    /// `client_max_pending`: requests one client may have in flight before the proxy stops reading from it.
    public var clientMaxPending: Int = 1_024
    /// `client_max_output_bytes`: reply bytes queued for one client before it is disconnected (a client that
    /// pipelines and never reads).
    public var clientMaxOutputBytes: Int = 64 * 1024 * 1024
    /// `client_idle_timeout` in milliseconds: close clients idle this long; `nil` (or 0 in the
    /// file) never closes them.
    public var clientIdleTimeout: Duration? = nil
    /// `client_park_after` in milliseconds: a client idle this long (nothing in flight, nothing buffered, no
    /// dedicated connection) is parked: its channel is closed and its socket waits, with its authentication and
    /// protocol, until it sends again. Cuts an idle client's memory from about 2.7 KB to a few hundred bytes, for
    /// one channel set-up when it comes back. `nil` (0 in the file) never parks; TCP listeners without TLS only.
    public var clientParkAfter: Duration? = .seconds(5)
    /// `client_max_bulk_length`: the largest bulk string a client may send, in bytes (Redis's
    /// `proto-max-bulk-len`).
    public var clientMaxBulkLength: Int = 512 * 1024 * 1024
    /// `connect_timeout` in milliseconds for opening a server connection.
    public var connectTimeout: Duration = .seconds(1)
    /// `client_auth`: users clients authenticate as, checked by the proxy; `nil` (and no `redis_auth`) lets every
    /// client in.
    public var clientAuth: ClientAuthSettings? = nil
    /// `backend_auth`: the credentials sent to the servers; `nil` sends `redis_auth`, if any.
    public var backendAuth: BackendAuthSettings? = nil
    /// `tls`: TLS from clients, on `listen` or on a listener of its own; `nil` for plain text only.
    public var tls: ClientTLSSettings? = nil
    /// `backend_tls`: TLS to the servers; `nil` for plain text.
    public var backendTLS: BackendTLSSettings? = nil
    /// `cluster`: the servers are seed nodes of a Redis Cluster. The proxy discovers the cluster from them, routes
    /// each command to the master of its key's hash slot, and follows `MOVED`, `ASK` and failovers. `hash`,
    /// `hash_tag` and `distribution` do not apply: the cluster's own CRC16 slots (with `{}` hash tags) do.
    public var cluster: Bool = false
    /// `cluster_refresh_interval` in milliseconds: how often the proxy re-reads the cluster's layout, besides
    /// after a redirect or a lost node.
    public var clusterRefreshInterval: Duration = .seconds(5)
    /// `max_redirects`: `MOVED`/`ASK` redirects followed for one request before the client gets an error.
    public var maxRedirects: Int = 5
    /// `read_from`: where a cluster pool sends read-only commands.
    public var readFrom: ClusterReadPolicy = .master

    /// The users a client may authenticate as, by name: ``clientAuth``'s users plus, for `redis_auth`, the
    /// `default` user. Empty when clients need not authenticate.
    public var clientUsers: [String: PasswordDigest] {
        var users: [String: PasswordDigest] = [:]
        for user in self.clientAuth?.users ?? [] { users[user.name] = user.passwordDigest }
        if let redisAuth = self.redisAuth { users["default"] = PasswordDigest(hashing: Array(redisAuth.utf8)) }
        return users
    }

    /// What the proxy sends with `AUTH` to the servers: ``backendAuth``, else `redis_auth` as the `default` user.
    public var serverCredentials: BackendAuthSettings? {
        self.backendAuth ?? self.redisAuth.map { BackendAuthSettings(password: $0) }
    }

    /// A pool with twemproxy's defaults and no servers.
    public init(name: String, listen: ListenAddress) {
        self.name = name
        self.listen = listen
    }
}
