/// What a shell must do after an event of ``HealthMonitorStateMachine``: publish the events in order, run the
/// probes and start the timers.
///
/// ```swift
/// let actions = machine.recordOutcome(of: endpoint, success: false, now: clock.now)
/// actions.events.forEach { continuation.yield($0) }
/// ```
public struct HealthMonitorActions<Endpoint: Hashable & Sendable, Instant: InstantProtocol>: Sendable {
    /// State changes to publish, oldest first.
    public var events: [HealthEvent<Endpoint, Instant>] = []
    /// Probes to start now.
    public var probes: [HealthProbeRequest<Endpoint, Instant>] = []
    /// Timers to start.
    public var timers: [HealthCheckTimer<Endpoint, Instant>] = []

    /// Creates an empty set of actions.
    @inlinable
    public init() {}

    /// Whether there is nothing to do.
    @inlinable
    public var isEmpty: Bool { self.events.isEmpty && self.probes.isEmpty && self.timers.isEmpty }
}
