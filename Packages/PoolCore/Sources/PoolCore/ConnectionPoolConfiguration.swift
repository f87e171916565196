/// Sizing and timing knobs of a connection pool.
///
/// ```swift
/// var configuration = ConnectionPoolConfiguration()
/// configuration.minimumIdleConnections = 4
/// configuration.softMaximumConnections = 16
/// try configuration.validate()
/// ```
public struct ConnectionPoolConfiguration: Sendable, Hashable {
    /// Connections kept open and idle, warmed at start.
    public var minimumIdleConnections: Int = 0
    /// The pool opens connections up to this number on demand and keeps them.
    public var softMaximumConnections: Int = 16
    /// Never more connections than this, even in bursts.
    public var hardMaximumConnections: Int = 16

    /// Creates the default configuration.
    public init() {}

    /// A configuration that cannot work.
    public struct ValidationError: Error, Hashable, CustomStringConvertible {
        /// What is wrong, naming the offending setting.
        public let description: String
    }

    /// Throws ``ValidationError`` when the settings contradict each other.
    public func validate() throws(ValidationError) {
        guard self.minimumIdleConnections >= 0 else {
            throw ValidationError(description: "minimumIdleConnections must not be negative")
        }
        guard self.softMaximumConnections >= 1 else {
            throw ValidationError(description: "softMaximumConnections must be at least 1")
        }
        guard self.hardMaximumConnections >= self.softMaximumConnections else {
            throw ValidationError(description: "hardMaximumConnections must be at least softMaximumConnections")
        }
        guard self.minimumIdleConnections <= self.softMaximumConnections else {
            throw ValidationError(description: "minimumIdleConnections must not exceed softMaximumConnections")
        }
    }
}
