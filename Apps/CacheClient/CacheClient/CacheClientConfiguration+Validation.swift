extension CacheClientConfiguration {
    /// Why a configuration cannot be used.
    ///
    /// ```swift
    /// do { try configuration.validate() } catch { print(error) }   // "servers must not be empty"
    /// ```
    public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Throws when a field is out of range.
    public func validate() throws(ValidationError) {
        func require(_ condition: Bool, _ message: String) throws(ValidationError) {
            guard condition else { throw ValidationError(description: message) }
        }
        try require(!self.servers.isEmpty, "servers must not be empty")
        try require(Set(self.servers.map(\.description)).count == self.servers.count, "server names must be unique")
        try require(self.servers.allSatisfy { $0.weight >= 1 }, "server weights must be at least 1")
        try require(self.poolSize >= 1, "poolSize must be at least 1")
        try require(
            (0...self.poolSize).contains(self.minimumIdleConnections),
            "minimumIdleConnections must be in 0...poolSize"
        )
        try require(self.maximumRequestsPerConnection >= 1, "maximumRequestsPerConnection must be at least 1")
        try require(self.maxRetries >= 0, "maxRetries must not be negative")
        for (name, duration) in [
            ("poolTimeout", self.poolTimeout), ("idleTimeout", self.idleTimeout),
            ("idleCheckFrequency", self.idleCheckFrequency), ("dialTimeout", self.dialTimeout),
            ("readTimeout", self.readTimeout), ("writeTimeout", self.writeTimeout),
            ("healthCheckInterval", self.healthCheckInterval), ("healthCheckTimeout", self.healthCheckTimeout),
            ("connectionWarmingTimeout", self.connectionWarmingTimeout), ("ejectionTime", self.ejectionTime),
            ("reconnectBackoffMaximum", self.reconnectBackoffMaximum),
        ] {
            try require(duration > .zero, "\(name) must be positive")
        }
        try require(self.unhealthyThreshold >= 1 && self.healthyThreshold >= 1, "health thresholds must be at least 1")
        try require(
            self.ejectAfterConsecutiveFailures.map { $0 >= 1 } ?? true,
            "ejectAfterConsecutiveFailures must be at least 1"
        )
        try require(self.compressionThreshold >= 0, "compressionThreshold must not be negative")
    }
}
