/// Why the pool closed a connection.
///
/// ```swift
/// let lifetimeClosures = pool.stats().closed[.lifetime, default: 0]
/// ```
public enum ConnectionCloseReason: String, Sendable, Hashable, CaseIterable {
    /// Idle for longer than the idle timeout, or surplus above the maximums.
    case idle
    /// Older than the maximum lifetime.
    case lifetime
    /// Failed: a failed keep-alive, or a lease released with `discard: true`.
    case error
    /// Failed the cheap check on borrow (``PooledConnection/isUsable``).
    case validation
    /// Closed by a drain or a force close.
    case drain
}
