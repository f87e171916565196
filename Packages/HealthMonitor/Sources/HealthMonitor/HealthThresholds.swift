/// Turns a stream of check results into a healthy or unhealthy verdict, with hysteresis.
///
/// An endpoint becomes unhealthy after `unhealthyThreshold` consecutive failures and healthy again after
/// `healthyThreshold` consecutive successes. A new endpoint is healthy after its first success.
///
/// ```swift
/// var thresholds = HealthThresholds(healthy: 2, unhealthy: 3)
/// thresholds.record(success: true)   // healthy: a new endpoint needs one success
/// thresholds.record(success: false)
/// ```
public struct HealthThresholds: Sendable, Hashable {
    /// Consecutive successes that make an unhealthy endpoint healthy.
    public let healthyThreshold: Int
    /// Consecutive failures that make a healthy endpoint unhealthy.
    public let unhealthyThreshold: Int
    /// The current verdict; `nil` until the first check result.
    @inlinable public var isHealthy: Bool? { self.verdict }
    @usableFromInline var verdict: Bool?
    @usableFromInline var consecutiveSuccesses = 0
    @usableFromInline var consecutiveFailures = 0

    /// Creates thresholds. Both must be at least one.
    @inlinable
    public init(healthy: Int, unhealthy: Int) {
        precondition(healthy >= 1 && unhealthy >= 1, "health thresholds must be at least 1")
        self.healthyThreshold = healthy
        self.unhealthyThreshold = unhealthy
    }

    /// Records one check result and returns the new verdict when it changed.
    @inlinable @discardableResult
    public mutating func record(success: Bool) -> Bool? {
        if success {
            self.consecutiveSuccesses += 1
            self.consecutiveFailures = 0
        } else {
            self.consecutiveFailures += 1
            self.consecutiveSuccesses = 0
        }
        let newVerdict: Bool
        switch self.isHealthy {
        case nil:
            guard success || self.consecutiveFailures >= self.unhealthyThreshold else { return nil }
            newVerdict = success
        case true?:
            guard self.consecutiveFailures >= self.unhealthyThreshold else { return nil }
            newVerdict = false
        case false?:
            guard self.consecutiveSuccesses >= self.healthyThreshold else { return nil }
            newVerdict = true
        }
        self.verdict = newVerdict
        return newVerdict
    }
}
