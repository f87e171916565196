/// A probe the state machine asks its shell to run now. Report its result with
/// ``HealthMonitorStateMachine/probeCompleted(_:success:now:using:)``; a probe still running at `deadline` is a
/// failure.
///
/// ```swift
/// for request in actions.probes {
///     let success = (try? await probe(request.endpoint)) != nil
///     actions = machine.probeCompleted(request, success: success, now: clock.now, using: &generator)
/// }
/// ```
public struct HealthProbeRequest<Endpoint: Hashable & Sendable, Instant: InstantProtocol>: Sendable, Hashable {
    /// The endpoint to probe.
    public let endpoint: Endpoint
    /// Identifies this probe, so that a late result of an abandoned probe is dropped.
    public let id: UInt64
    /// When the probe times out.
    public let deadline: Instant

    /// Creates a probe request.
    @inlinable
    public init(endpoint: Endpoint, id: UInt64, deadline: Instant) {
        self.endpoint = endpoint
        self.id = id
        self.deadline = deadline
    }
}
