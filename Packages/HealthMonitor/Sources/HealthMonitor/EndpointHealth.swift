/// A snapshot of one endpoint's health, for inspection and tests.
///
/// ```swift
/// if let health = machine.health(of: endpoint, at: clock.now), health.ejectedUntil != nil { ... }
/// ```
public struct EndpointHealth<Instant: InstantProtocol>: Sendable, Hashable {
    /// The active check verdict: `nil` before the first verdict, always `true` without active checks.
    public let activeVerdict: Bool?
    /// When the current ejection ends, or `nil` when the endpoint is in service.
    public let ejectedUntil: Instant?
    /// Past ejections that still count towards the next ejection's length, after decay.
    public let ejectionCount: Int
    /// Failures reported in a row since the last success, ejection or restoration.
    public let consecutiveFailures: Int

    /// Whether the endpoint passes active checks and is not ejected (panic aside).
    public var isAvailable: Bool { self.activeVerdict == true && self.ejectedUntil == nil }
}
