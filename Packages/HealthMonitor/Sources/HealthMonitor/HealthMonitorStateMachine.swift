/// The whole health-monitoring logic as a value type: active checks, passive outlier detection, ejection and
/// panic. Each event function returns the ``HealthMonitorActions`` a shell must run; nothing here sleeps,
/// spawns tasks or reads a clock.
///
/// ```swift
/// var machine = HealthMonitorStateMachine<String, ContinuousClock.Instant>(configuration: .init())
/// var actions = machine.addEndpoint("10.0.0.1:6379", now: clock.now)
/// // run actions.probes, report each with probeCompleted, start actions.timers, publish actions.events
/// actions = machine.recordOutcome(of: "10.0.0.1:6379", success: false, now: clock.now)
/// ```
public struct HealthMonitorStateMachine<Endpoint: Hashable & Sendable, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    public typealias Actions = HealthMonitorActions<Endpoint, Instant>
    public typealias Timer = HealthCheckTimer<Endpoint, Instant>
    public typealias ProbeRequest = HealthProbeRequest<Endpoint, Instant>

    /// The configuration the machine runs with.
    public let configuration: HealthMonitorConfiguration
    /// Whether too few endpoints are routable, so that every endpoint is routable.
    @inlinable public var isPanicking: Bool { self.panicking }
    @usableFromInline var panicking = false

    @usableFromInline var endpoints: [Endpoint: EndpointState] = [:]
    /// Insertion order, so that iteration (and so success-rate ejection) is deterministic.
    @usableFromInline var order: [Endpoint] = []
    @usableFromInline var ejectedCount = 0
    @usableFromInline var lastID: UInt64 = 0
    @usableFromInline var hasStarted = false

    /// Creates a machine with no endpoints.
    @inlinable
    public init(configuration: HealthMonitorConfiguration) {
        self.configuration = configuration
    }

    // MARK: - Events

    /// Starts the periodic work that is not tied to one endpoint. Call once, before anything else.
    @inlinable
    public mutating func start(now: Instant) -> Actions {
        var actions = Actions()
        guard !self.hasStarted else { return actions }
        self.hasStarted = true
        if let successRate = self.configuration.outlierDetection?.successRate {
            actions.timers.append(
                Timer(purpose: .successRateEvaluation, deadline: now.advanced(by: successRate.interval))
            )
        }
        return actions
    }

    /// Starts monitoring an endpoint. With active checks it is probed at once and is not healthy before its
    /// first successful probe; without them it is healthy straight away.
    @inlinable
    public mutating func addEndpoint(_ endpoint: Endpoint, now: Instant) -> Actions {
        var actions = Actions()
        guard self.endpoints[endpoint] == nil else { return actions }
        var state = EndpointState(activeChecks: self.configuration.activeChecks)
        if let activeChecks = self.configuration.activeChecks {
            let id = self.makeID()
            state.probeInFlight = id
            actions.probes.append(
                ProbeRequest(endpoint: endpoint, id: id, deadline: now.advanced(by: activeChecks.timeout))
            )
        }
        self.endpoints[endpoint] = state
        self.order.append(endpoint)
        self.updatePanic(&actions)
        return actions
    }

    /// Stops monitoring an endpoint. Its pending timers and probes are ignored from now on.
    @inlinable
    public mutating func removeEndpoint(_ endpoint: Endpoint, now: Instant) -> Actions {
        var actions = Actions()
        guard let state = self.endpoints.removeValue(forKey: endpoint) else { return actions }
        if state.ejectedUntil != nil {
            self.ejectedCount -= 1
        }
        self.order.removeAll { $0 == endpoint }
        self.updatePanic(&actions)
        return actions
    }

    /// Handles a timer the shell started earlier. Stale timers do nothing.
    @inlinable
    public mutating func timerFired(_ timer: Timer, now: Instant) -> Actions {
        var actions = Actions()
        switch timer.purpose {
        case .check(let endpoint, let id):
            self.checkDue(endpoint, id: id, now: now, actions: &actions)
        case .restore(let endpoint, let id):
            self.restore(endpoint, ejectionID: id, now: now, actions: &actions)
        case .successRateEvaluation:
            guard let successRate = self.configuration.outlierDetection?.successRate else { break }
            self.evaluateSuccessRates(now: now, actions: &actions)
            actions.timers.append(
                Timer(purpose: .successRateEvaluation, deadline: now.advanced(by: successRate.interval))
            )
        }
        return actions
    }

    @inlinable
    mutating func makeID() -> UInt64 {
        self.lastID &+= 1
        return self.lastID
    }

    // MARK: - Queries

    /// Whether traffic may go to the endpoint: it passes active checks and is not ejected, or the monitor
    /// is panicking. Unknown endpoints are not routable.
    @inlinable
    public func isRoutable(_ endpoint: Endpoint) -> Bool {
        guard let state = self.endpoints[endpoint] else { return false }
        return self.isPanicking || state.isAvailable
    }

    /// The endpoints traffic may go to, in the order they were added: every endpoint while panicking.
    @inlinable
    public var routableEndpoints: [Endpoint] {
        if self.isPanicking { return self.order }
        return self.order.filter { self.endpoints[$0]?.isAvailable == true }
    }

    /// All monitored endpoints, in the order they were added.
    public var allEndpoints: [Endpoint] { self.order }

    /// A snapshot of the endpoint's health at `now`, or `nil` when it is not monitored.
    public func health(of endpoint: Endpoint, at now: Instant) -> EndpointHealth<Instant>? {
        guard let state = self.endpoints[endpoint] else { return nil }
        let decay = self.configuration.outlierDetection?.ejectionDecayInterval
        return EndpointHealth(
            activeVerdict: state.activeVerdict,
            ejectedUntil: state.ejectedUntil,
            ejectionCount: decay.map { state.decayedEjectionCount(at: now, decayInterval: $0).count }
                ?? state.ejectionCount,
            consecutiveFailures: state.consecutiveFailures
        )
    }

    // MARK: - Panic

    @inlinable
    mutating func updatePanic(_ actions: inout Actions) {
        let total = self.order.count
        var available = 0
        for state in self.endpoints.values where state.isAvailable {
            available += 1
        }
        let panicking = total > 0 && Double(available) * 100 < Double(total) * self.configuration.panicThreshold
        guard panicking != self.panicking else { return }
        self.panicking = panicking
        actions.events.append(panicking ? .panicEntered : .panicLeft)
    }
}
