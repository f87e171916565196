/// Why an acquire failed.
///
/// ```swift
/// do { lease = try await pool.acquire() } catch ConnectionPoolError.acquireTimeout { return .busy }
/// ```
public enum ConnectionPoolError: Error, CustomStringConvertible {
    /// No connection became free within ``ConnectionPoolConfiguration/acquireTimeout``.
    case acquireTimeout
    /// ``ConnectionPoolConfiguration/maximumWaiters`` acquires are already waiting.
    case waitQueueFull
    /// The pool is draining or closed.
    case poolShutdown
    /// Dialing failed repeatedly; the pool fails fast with the last dial error until a retry succeeds.
    case dialFailed(any Error)

    public var description: String {
        switch self {
        case .acquireTimeout: "timed out waiting for a pooled connection"
        case .waitQueueFull: "too many acquires waiting for a pooled connection"
        case .poolShutdown: "the connection pool is shut down"
        case .dialFailed(let error): "connecting failed: \(error)"
        }
    }
}
