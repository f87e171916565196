/// Every failure a ``CacheClient`` reports, typed so that callers can tell a missing node from a slow one.
///
/// A key that is simply absent is not an error: reads return `nil`.
///
/// ```swift
/// do {
///     let value = try await cache.get("user:42")
/// } catch let error as CacheError {
///     switch error {
///     case .unavailable: serveStale()       // breaker open, node ejected or unreachable: failed fast
///     case .timeout: retryLater()
///     case .protocolError, .server, .codec: report(error)
///     }
/// }
/// ```
public enum CacheError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key's node cannot take the request: its circuit breaker is open, health checks ejected it, it refuses
    /// connections, or the client is not started or is shut down. Raised without waiting on the network.
    case unavailable(node: String, reason: String)
    /// The node did not answer in time, or no pooled connection came free within the pool timeout.
    case timeout(node: String, reason: String)
    /// The node sent something that is not a valid reply to the command, or a stored value is corrupt.
    case protocolError(node: String, reason: String)
    /// The node answered with a Redis error reply, such as `WRONGTYPE` or `NOAUTH`.
    case server(node: String, message: String)
    /// A value could not be encoded or decoded by the configured ``CacheCodec``.
    case codec(String)

    /// The node the error is about, when there is one.
    public var node: String? {
        switch self {
        case .unavailable(let node, _), .timeout(let node, _), .protocolError(let node, _), .server(let node, _):
            node
        case .codec: nil
        }
    }

    public var description: String {
        switch self {
        case .unavailable(let node, let reason): "\(node) unavailable: \(reason)"
        case .timeout(let node, let reason): "\(node) timed out: \(reason)"
        case .protocolError(let node, let reason): "\(node) protocol error: \(reason)"
        case .server(let node, let message): "\(node) replied with an error: \(message)"
        case .codec(let reason): "codec error: \(reason)"
        }
    }
}
