/// Why the pool opened a connection.
///
/// ```swift
/// if case .dialStarted(.warming) = event { warmingDials += 1 }
/// ```
public enum ConnectionDialReason: String, Sendable, Hashable {
    /// To reach or keep the minimum idle count.
    case warming
    /// Because acquires are waiting.
    case demand
    /// The single background retrier probing while the pool fails fast.
    case retry
}
