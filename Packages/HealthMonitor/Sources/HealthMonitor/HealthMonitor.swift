/// Watches a set of endpoints with active probes and passive outlier detection, and publishes every change.
///
/// A thin, lock-guarded shell around ``HealthMonitorStateMachine``: it reads the clock, runs probes with their
/// timeout, sleeps for timers and forwards events. Call ``run()`` once, in a task that lives as long as the
/// monitor; cancelling that task stops the monitor and finishes ``events``.
///
/// ```swift
/// let monitor = HealthMonitor<String, ContinuousClock>(
///     configuration: HealthMonitorConfiguration(),
///     clock: ContinuousClock(),
///     probe: { endpoint in try await ping(endpoint) }
/// )
/// let task = Task { await monitor.run() }
/// monitor.addEndpoint("10.0.0.1:6379")
/// monitor.record("10.0.0.1:6379", success: false)   // after a failed request
/// let targets = monitor.routableEndpoints
/// ```
public final class HealthMonitor<Endpoint: Hashable & Sendable, C: Clock<Duration>>: Sendable {
    public typealias Event = HealthEvent<Endpoint, C.Instant>
    /// Checks one endpoint; throwing means unhealthy. It should stop when its task is cancelled.
    public typealias Probe = @Sendable (Endpoint) async throws -> Void
    /// Checks one endpoint and answers whether it is healthy. It should stop when its task is cancelled.
    public typealias HealthCheck = @Sendable (Endpoint) async -> Bool

    @usableFromInline typealias Machine = HealthMonitorStateMachine<Endpoint, C.Instant>

    @usableFromInline
    enum Work: Sendable {
        case probe(Machine.ProbeRequest)
        case timer(Machine.Timer)
    }

    @usableFromInline
    struct State: Sendable {
        @usableFromInline var machine: Machine
        @usableFromInline var generator: any RandomNumberGenerator & Sendable
    }

    /// State changes in the order they happened. There is one stream per monitor; it keeps the newest
    /// ``eventBufferLimit`` events nobody has read yet, and finishes when ``run()`` returns.
    public let events: AsyncStream<Event>
    /// How many unread events ``events`` keeps before it drops the oldest.
    public static var eventBufferLimit: Int { 1_024 }

    @usableFromInline let clock: C
    let healthCheck: HealthCheck
    @usableFromInline let state: LockedValue<State>
    @usableFromInline let eventContinuation: AsyncStream<Event>.Continuation
    let work: AsyncStream<Work>
    @usableFromInline let workContinuation: AsyncStream<Work>.Continuation

    /// Creates a monitor with no endpoints.
    ///
    /// - Parameters:
    ///   - configuration: Checks, outlier detection and panic threshold.
    ///   - clock: The clock for intervals, timeouts and ejections.
    ///   - randomNumberGenerator: The source of check jitter.
    ///   - probe: The active check; ignored when `configuration.activeChecks` is `nil`.
    public convenience init(
        configuration: HealthMonitorConfiguration,
        clock: C,
        randomNumberGenerator: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        probe: @escaping Probe = { _ in }
    ) {
        self.init(
            configuration: configuration,
            clock: clock,
            randomNumberGenerator: randomNumberGenerator,
            healthCheck: { endpoint in
                do {
                    try await probe(endpoint)
                    return true
                } catch {
                    return false
                }
            }
        )
    }

    /// Creates a monitor with no endpoints whose active check answers with a Boolean.
    ///
    /// ```swift
    /// let monitor = HealthMonitor(configuration: .init(), clock: ContinuousClock(), healthCheck: { await isUp($0) })
    /// ```
    public init(
        configuration: HealthMonitorConfiguration,
        clock: C,
        randomNumberGenerator: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        healthCheck: @escaping HealthCheck
    ) {
        self.clock = clock
        self.healthCheck = healthCheck
        (self.events, self.eventContinuation) = AsyncStream.makeStream(
            of: Event.self,
            bufferingPolicy: .bufferingNewest(Self.eventBufferLimit)
        )
        (self.work, self.workContinuation) = AsyncStream.makeStream(of: Work.self)
        var machine = Machine(configuration: configuration)
        let actions = machine.start(now: clock.now)
        self.state = LockedValue(State(machine: machine, generator: randomNumberGenerator))
        self.execute(actions)
    }

    /// Runs probes and timers until the calling task is cancelled, then finishes ``events``.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await work in self.work {
                group.addTask { await self.perform(work) }
            }
        }
        self.eventContinuation.finish()
    }

    // MARK: - Endpoints and outcomes

    /// Starts monitoring an endpoint; with active checks it is probed at once.
    public func addEndpoint(_ endpoint: Endpoint) {
        self.update { $0.machine.addEndpoint(endpoint, now: self.clock.now) }
    }

    /// Stops monitoring an endpoint.
    public func removeEndpoint(_ endpoint: Endpoint) {
        self.update { $0.machine.removeEndpoint(endpoint, now: self.clock.now) }
    }

    /// Reports the outcome of one real request, for passive outlier detection.
    @inlinable
    public func record(_ endpoint: Endpoint, success: Bool) {
        self.update { $0.machine.recordOutcome(of: endpoint, success: success, now: self.clock.now) }
    }

    // MARK: - Queries

    /// Whether too few endpoints are healthy, so that traffic goes to all of them.
    @inlinable
    public var isPanicking: Bool { self.state.withLock { $0.machine.isPanicking } }

    /// The endpoints traffic may go to: the healthy, non-ejected ones, or all of them while panicking.
    public var routableEndpoints: [Endpoint] { self.state.withLock { $0.machine.routableEndpoints } }

    /// Whether traffic may go to the endpoint.
    @inlinable
    public func isRoutable(_ endpoint: Endpoint) -> Bool { self.state.withLock { $0.machine.isRoutable(endpoint) } }

    /// A snapshot of the endpoint's health, or `nil` when it is not monitored.
    public func health(of endpoint: Endpoint) -> EndpointHealth<C.Instant>? {
        self.state.withLock { $0.machine.health(of: endpoint, at: self.clock.now) }
    }

    // MARK: - Running actions

    /// Events are yielded under the lock so that subscribers see them in the order the machine made them.
    @inlinable
    func update(_ body: (inout State) -> Machine.Actions) {
        self.state.withLock { state in
            self.execute(body(&state))
        }
    }

    @inlinable
    func execute(_ actions: Machine.Actions) {
        for event in actions.events {
            self.eventContinuation.yield(event)
        }
        for probe in actions.probes {
            self.workContinuation.yield(.probe(probe))
        }
        for timer in actions.timers {
            self.workContinuation.yield(.timer(timer))
        }
    }

    private func perform(_ work: Work) async {
        switch work {
        case .timer(let timer):
            do {
                try await self.clock.sleep(until: timer.deadline, tolerance: nil)
            } catch {
                return
            }
            self.update { $0.machine.timerFired(timer, now: self.clock.now) }
        case .probe(let request):
            await self.runProbe(request)
        }
    }

    /// Races the probe against its deadline; the loser is cancelled. A probe that ignores cancellation
    /// holds up only its own task (and the end of ``run()``): its verdict is reported at the deadline.
    private func runProbe(_ request: Machine.ProbeRequest) async {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.healthCheck(request.endpoint) }
            group.addTask {
                do {
                    try await self.clock.sleep(until: request.deadline, tolerance: nil)
                    return false
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            guard let success = first, !Task.isCancelled else { return }
            self.update { state in
                state.machine.probeCompleted(request, success: success, now: self.clock.now, using: &state.generator)
            }
        }
    }
}
