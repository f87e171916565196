/// Sizing, ordering and timing knobs of a ``ConnectionPool``.
///
/// ```swift
/// var configuration = ConnectionPoolConfiguration()
/// configuration.minimumIdleConnections = 4
/// configuration.softMaximumConnections = 16
/// configuration.hardMaximumConnections = 32
/// configuration.keepAliveInterval = .seconds(30)
/// try configuration.validate()
/// ```
public struct ConnectionPoolConfiguration: Sendable, Hashable {
    // MARK: - Sizing

    /// Idle connections warmed at start and kept topped up (never beyond ``softMaximumConnections``).
    public var minimumIdleConnections: Int = 0
    /// Connections kept open; above this, connections are closed as soon as they become idle.
    public var softMaximumConnections: Int = 16
    /// Never more connections than this, even when acquires wait.
    public var hardMaximumConnections: Int = 16
    /// More idle connections than this are closed on release; `nil` means no limit of its own.
    public var maximumIdleConnections: Int? = nil
    /// Which idle connection a borrow takes.
    public var idleOrder: IdleOrder = .lifo
    /// Concurrent leases on one connection: 1 is exclusive, more is multiplexed.
    public var maximumLeasesPerConnection: Int = 1

    // MARK: - Acquire

    /// How long an acquire waits before failing with ``ConnectionPoolError/acquireTimeout``.
    public var acquireTimeout: Duration = .seconds(10)
    /// Bound of the FIFO wait queue; further acquires fail with ``ConnectionPoolError/waitQueueFull``.
    public var maximumWaiters: Int = 10_000

    // MARK: - Connection age and health

    /// Connections older than this are closed and replaced; `nil` keeps them forever.
    public var maximumLifetime: Duration? = .seconds(30 * 60)
    /// Each connection's lifetime is shortened by a random amount up to this, so they do not expire together.
    public var lifetimeJitter: Duration = .seconds(30)
    /// Idle connections unused for this long are closed, down to ``minimumIdleConnections``.
    public var idleTimeout: Duration? = .seconds(10 * 60)
    /// Idle connections run ``PooledConnection/keepAlive()`` this often; `nil` disables keep-alives.
    public var keepAliveInterval: Duration? = nil
    /// A lease held longer than this is reported once as ``ConnectionPoolEvent/leakSuspected(_:age:)``.
    public var leakWarningThreshold: Duration? = nil
    /// How often lifetimes, idle timeouts, keep-alives and leaks are checked.
    public var housekeepingInterval: Duration = .seconds(1)

    // MARK: - Dialing

    /// Delay before the first re-dial after a failure; it doubles with each further failure.
    public var dialBackoffInitial: Duration = .milliseconds(100)
    /// The re-dial delay never exceeds this.
    public var dialBackoffMaximum: Duration = .seconds(10)
    /// Fraction (0...1) of each re-dial delay that is randomised away.
    public var dialBackoffJitter: Double = 0.5
    /// After this many consecutive dial failures, acquires fail fast; 0 never fails fast.
    public var failFastAfterDialFailures: Int = 3
    /// Seed of the jitter's random numbers, so runs can be reproduced.
    public var randomSeed: UInt64 = 0x5EED_F00D

    /// Creates the default configuration.
    public init() {}

    /// A configuration that cannot work.
    public struct ValidationError: Error, Hashable, CustomStringConvertible {
        /// What is wrong, naming the offending setting.
        public let description: String
    }

    /// Throws ``ValidationError`` when the settings contradict each other.
    public func validate() throws(ValidationError) {
        func require(_ condition: Bool, _ message: String) throws(ValidationError) {
            guard condition else { throw ValidationError(description: message) }
        }
        try require(self.minimumIdleConnections >= 0, "minimumIdleConnections must not be negative")
        try require(self.softMaximumConnections >= 1, "softMaximumConnections must be at least 1")
        try require(
            self.hardMaximumConnections >= self.softMaximumConnections,
            "hardMaximumConnections must be at least softMaximumConnections"
        )
        try require(
            self.minimumIdleConnections <= self.softMaximumConnections,
            "minimumIdleConnections must not exceed softMaximumConnections"
        )
        if let maximumIdle = self.maximumIdleConnections {
            try require(
                maximumIdle >= self.minimumIdleConnections,
                "maximumIdleConnections must be at least minimumIdleConnections"
            )
        }
        try require(self.maximumLeasesPerConnection >= 1, "maximumLeasesPerConnection must be at least 1")
        try require(self.acquireTimeout > .zero, "acquireTimeout must be positive")
        try require(self.maximumWaiters >= 0, "maximumWaiters must not be negative")
        if let lifetime = self.maximumLifetime {
            try require(lifetime > .zero, "maximumLifetime must be positive")
            try require(
                self.lifetimeJitter >= .zero && self.lifetimeJitter < lifetime,
                "lifetimeJitter must be non-negative and below maximumLifetime"
            )
        }
        try require(self.idleTimeout.map { $0 > .zero } ?? true, "idleTimeout must be positive")
        try require(self.keepAliveInterval.map { $0 > .zero } ?? true, "keepAliveInterval must be positive")
        try require(self.leakWarningThreshold.map { $0 > .zero } ?? true, "leakWarningThreshold must be positive")
        try require(self.housekeepingInterval > .zero, "housekeepingInterval must be positive")
        try require(self.dialBackoffInitial > .zero, "dialBackoffInitial must be positive")
        try require(
            self.dialBackoffMaximum >= self.dialBackoffInitial,
            "dialBackoffMaximum must be at least dialBackoffInitial"
        )
        try require((0...1).contains(self.dialBackoffJitter), "dialBackoffJitter must be within 0...1")
        try require(self.failFastAfterDialFailures >= 0, "failFastAfterDialFailures must not be negative")
    }
}
