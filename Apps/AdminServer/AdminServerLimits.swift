/// Bounds that keep an admin listener cheap however its clients behave.
///
/// ```swift
/// let limits = AdminServerLimits(maxConnections: 16, idleTimeout: .seconds(10))
/// let server = try await AdminHTTPServer.bind(host: "127.0.0.1", port: 9121, routes: routes, limits: limits)
/// ```
public struct AdminServerLimits: Sendable, Hashable {
    /// Connections open at once; further ones are closed as soon as they are accepted.
    public var maxConnections: Int
    /// A connection that sends nothing for this long is closed, unless a handler is still building its response.
    /// On the stats port, this bounds the whole exchange.
    public var idleTimeout: Duration
    /// The most bytes of header names and values one request may carry; beyond it the answer is 400.
    public var maxHeaderBytes: Int
    /// How long ``AdminHTTPServer/close()`` lets in-flight requests finish before closing their connections.
    public var shutdownGracePeriod: Duration

    public init(
        maxConnections: Int = 64,
        idleTimeout: Duration = .seconds(30),
        maxHeaderBytes: Int = 16 * 1024,
        shutdownGracePeriod: Duration = .seconds(5)
    ) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.maxHeaderBytes = maxHeaderBytes
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
