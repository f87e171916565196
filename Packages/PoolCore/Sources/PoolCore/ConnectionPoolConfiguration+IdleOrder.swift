extension ConnectionPoolConfiguration {
    /// Which idle connection a borrow takes.
    ///
    /// ```swift
    /// configuration.idleOrder = .fifo  // spread use over every connection
    /// ```
    public enum IdleOrder: Sendable, Hashable {
        /// The least recently used connection: every connection stays warm.
        case fifo
        /// The most recently used connection: surplus connections go idle and time out.
        case lifo
    }
}
