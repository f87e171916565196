import PoolCore

extension ConnectionPoolConfiguration {
    /// A configuration for deterministic tests: four connections at most, and every time-based feature
    /// (lifetime, jitter, idle timeout, dial-backoff jitter) off, so a test switches on only what it exercises.
    ///
    /// ```swift
    /// let configuration = ConnectionPoolConfiguration.forTesting { $0.minimumIdleConnections = 2 }
    /// ```
    public static func forTesting(
        housekeepingInterval: Duration = .seconds(1),
        _ edit: (inout ConnectionPoolConfiguration) -> Void = { _ in }
    ) -> ConnectionPoolConfiguration {
        var configuration = ConnectionPoolConfiguration()
        configuration.softMaximumConnections = 4
        configuration.hardMaximumConnections = 4
        configuration.maximumLifetime = nil
        configuration.lifetimeJitter = .zero
        configuration.idleTimeout = nil
        configuration.acquireTimeout = .seconds(5)
        configuration.housekeepingInterval = housekeepingInterval
        configuration.dialBackoffJitter = 0
        edit(&configuration)
        return configuration
    }
}
