/// One pool present before and after a reload whose settings differ.
///
/// ```swift
/// if change.listenChanged {
///     // close the old listener, bind change.new.listen
/// } else {
///     // keep the listener and the clients; apply change.new (changedKeys says what moved)
/// }
/// ```
public struct ServerPoolChange: Sendable, Hashable {
    /// The running settings.
    public var old: ServerPoolConfiguration
    /// The settings to apply.
    public var new: ServerPoolConfiguration
    /// The `nutcracker.yml` keys whose values differ, in the order the keys are documented (`listen`, `hash`, ...,
    /// `servers`, then the extension keys).
    public var changedKeys: [String]

    /// A change from the old and new settings of one pool.
    public init(old: ServerPoolConfiguration, new: ServerPoolConfiguration) {
        self.old = old
        self.new = new
        self.changedKeys = Self.keys.filter { $0.differs(old, new) }.map(\.name)
    }

    /// The pool's name.
    public var name: String { self.new.name }

    /// Whether the pool moves to another address (or socket permissions), so its listener must be rebound and its
    /// clients reconnect. When false, only other settings changed and the clients stay connected.
    public var listenChanged: Bool {
        self.old.listen != self.new.listen || self.old.tls != self.new.tls
    }

    /// Whether keys land on other servers: `hash`, `hash_tag`, `distribution` or `servers` changed.
    public var routingChanged: Bool {
        self.old.hash != self.new.hash || self.old.hashTag != self.new.hashTag
            || self.old.distribution != self.new.distribution || self.old.servers != self.new.servers
    }

    private struct Key: Sendable {
        let name: String
        let differs: @Sendable (ServerPoolConfiguration, ServerPoolConfiguration) -> Bool

        init<Value: Equatable & Sendable>(_ key: PoolKey, _ path: KeyPath<ServerPoolConfiguration, Value> & Sendable) {
            self.name = key.rawValue
            self.differs = { $0[keyPath: path] != $1[keyPath: path] }
        }
    }

    private static let keys: [Key] = [
        Key(.listen, \.listen), Key(.hash, \.hash), Key(.hashTag, \.hashTag), Key(.distribution, \.distribution),
        Key(.timeout, \.timeout), Key(.backlog, \.backlog), Key(.preconnect, \.preconnect), Key(.redis, \.redis),
        Key(.redisAuth, \.redisAuth), Key(.redisDatabase, \.redisDatabase),
        Key(.serverConnections, \.serverConnections), Key(.autoEjectHosts, \.autoEjectHosts),
        Key(.serverRetryTimeout, \.serverRetryTimeout), Key(.serverFailureLimit, \.serverFailureLimit),
        Key(.clientConnections, \.clientConnections), Key(.tcpKeepAlive, \.tcpKeepAlive), Key(.servers, \.servers),
        Key(.healthCheck, \.healthCheck), Key(.circuitBreaker, \.circuitBreaker),
        Key(.dedicatedConnections, \.dedicatedConnections), Key(.clientMaxPending, \.clientMaxPending),
        Key(.clientMaxOutputBytes, \.clientMaxOutputBytes), Key(.clientIdleTimeout, \.clientIdleTimeout),
        Key(.clientParkAfter, \.clientParkAfter),
        Key(.clientMaxBulkLength, \.clientMaxBulkLength), Key(.connectTimeout, \.connectTimeout),
        Key(.clientAuth, \.clientAuth), Key(.backendAuth, \.backendAuth), Key(.tls, \.tls),
        Key(.backendTLS, \.backendTLS), Key(.cluster, \.cluster),
        Key(.clusterRefreshInterval, \.clusterRefreshInterval), Key(.maxRedirects, \.maxRedirects),
        Key(.readFrom, \.readFrom),
    ]
}
