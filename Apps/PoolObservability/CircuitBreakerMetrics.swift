import CircuitBreaker
import NIOConcurrencyHelpers
import PoolMetrics

/// Exports one `CircuitBreaker`'s state and calls, labelled with the breaker's name.
///
/// The state comes from the breaker's transition events (``record(_:)`` or ``run(events:)``); the calls come
/// from its running `CircuitBreakerCounters` (``update(from:)-(CircuitBreakerCounters)``), because the events
/// do not carry successful or failed calls. Exported, before the registry's prefix:
///
/// - `breaker_state{breaker,state}`: one-hot, 1 for the current state and 0 for the others;
/// - `breaker_transitions_total{breaker,to}`: state changes by the state entered;
/// - `breaker_calls_total{breaker,outcome="success|failure|ignored|not_permitted"}`;
/// - `breaker_slow_calls_total{breaker}`, `breaker_late_results_dropped_total{breaker}` and
///   `breaker_permits_reclaimed_total{breaker}`.
///
/// ```swift
/// let metrics = try CircuitBreakerMetrics(registry: registry, breaker: "10.0.0.1:6379")
/// group.addTask { await metrics.run(events: breaker.events) }
/// // at scrape time:
/// metrics.update(from: breaker.counters)
/// ```
public final class CircuitBreakerMetrics: Sendable {
    private let stateGauges: [CircuitBreakerState: Gauge]
    private let transitionsByState: [CircuitBreakerState: Counter]
    private let successfulCalls: Counter
    private let failedCalls: Counter
    private let ignoredCalls: Counter
    private let notPermittedCalls: Counter
    private let slowCalls: Counter
    private let droppedLateResults: Counter
    private let reclaimedPermits: Counter
    // Serialises state changes so that two concurrent transitions cannot leave two states at 1.
    private let stateChanges = NIOLock()
    private let exportedCounters = NIOLockedValueBox(CircuitBreakerCounters())

    /// Registers the breaker families in `registry` and creates this breaker's series.
    ///
    /// - Parameters:
    ///   - registry: Where the metrics are exported.
    ///   - breaker: The value of the `breaker` label; keep it to a fixed, small set of names.
    ///   - initialState: The breaker's state now; a new breaker is closed.
    /// - Throws: `MetricsRegistryError` when a family of the same name is registered differently, or when a
    ///   family already holds its maximum number of series.
    public init(
        registry: MetricsRegistry,
        breaker: String,
        initialState: CircuitBreakerState = .closed
    ) throws(MetricsRegistryError) {
        let stateFamily = try registry.gauge(
            "breaker_state",
            help: "1 for the breaker's current state, 0 for the others.",
            labelNames: ["breaker", "state"]
        )
        let transitionFamily = try registry.counter(
            "breaker_transitions",
            help: "State changes, by the state entered.",
            labelNames: ["breaker", "to"]
        )
        var stateGauges: [CircuitBreakerState: Gauge] = [:]
        var transitionsByState: [CircuitBreakerState: Counter] = [:]
        for state in CircuitBreakerState.allCases {
            stateGauges[state] = try stateFamily.labels(breaker, state.description)
            transitionsByState[state] = try transitionFamily.labels(breaker, state.description)
        }
        self.stateGauges = stateGauges
        self.transitionsByState = transitionsByState
        let calls = try registry.counter(
            "breaker_calls",
            help: "Calls through the breaker, by outcome.",
            labelNames: ["breaker", "outcome"]
        )
        self.successfulCalls = try calls.labels(breaker, "success")
        self.failedCalls = try calls.labels(breaker, "failure")
        self.ignoredCalls = try calls.labels(breaker, "ignored")
        self.notPermittedCalls = try calls.labels(breaker, "not_permitted")
        self.slowCalls = try registry.counter(
            "breaker_slow_calls",
            help: "Successful or failed calls slower than the slow-call threshold.",
            labelNames: ["breaker"]
        ).labels(breaker)
        self.droppedLateResults = try registry.counter(
            "breaker_late_results_dropped",
            help: "Results dropped because their permit was stale.",
            labelNames: ["breaker"]
        ).labels(breaker)
        self.reclaimedPermits = try registry.counter(
            "breaker_permits_reclaimed",
            help: "Half-open permits reclaimed after their timeout.",
            labelNames: ["breaker"]
        ).labels(breaker)
        self.exportState(initialState)
    }

    /// Follows one breaker event: a state transition moves the one-hot state gauge.
    public func record(_ event: CircuitBreakerEvent) {
        guard case .stateTransition(let transition) = event else { return }
        self.transitionsByState[transition.to]?.increment()
        self.setState(transition.to)
    }

    /// Records every event of `events` until the sequence ends, normally a breaker's
    /// `CircuitBreaker.events`; run it in a task that lives as long as the breaker.
    public func run(events: some AsyncSequence<CircuitBreakerEvent, Never>) async {
        for await event in events {
            self.record(event)
        }
    }

    /// Brings the call counters up to the breaker's running totals; totals that did not grow are left alone.
    ///
    /// ```swift
    /// metrics.update(from: breaker.counters)
    /// ```
    public func update(from counters: CircuitBreakerCounters) {
        // Counting under the lock, and only growth past the highest total seen, keeps two concurrent updates
        // with snapshots taken in the other order from counting the same calls twice.
        self.exportedCounters.withLockedValue { exported in
            Self.advance(&exported.successful, to: counters.successful, counting: self.successfulCalls)
            Self.advance(&exported.failed, to: counters.failed, counting: self.failedCalls)
            Self.advance(&exported.ignored, to: counters.ignored, counting: self.ignoredCalls)
            Self.advance(&exported.notPermitted, to: counters.notPermitted, counting: self.notPermittedCalls)
            Self.advance(&exported.slow, to: counters.slow, counting: self.slowCalls)
            Self.advance(
                &exported.droppedLateResults,
                to: counters.droppedLateResults,
                counting: self.droppedLateResults
            )
            Self.advance(&exported.reclaimedPermits, to: counters.reclaimedPermits, counting: self.reclaimedPermits)
        }
    }

    /// Takes the state and the call counters from the breaker itself, for a scrape without an event consumer.
    ///
    /// ```swift
    /// metrics.update(from: breaker)
    /// ```
    public func update<C: Clock<Duration>>(from breaker: CircuitBreaker<C>) {
        self.setState(breaker.state)
        self.update(from: breaker.counters)
    }

    private func setState(_ newState: CircuitBreakerState) {
        self.stateChanges.withLock {
            self.exportState(newState)
        }
    }

    private func exportState(_ current: CircuitBreakerState) {
        for (state, gauge) in self.stateGauges {
            gauge.set(to: state == current ? 1 : 0)
        }
    }

    private static func advance(_ exported: inout Int, to total: Int, counting counter: Counter) {
        guard total > exported else { return }
        counter.increment(by: UInt64(total - exported))
        exported = total
    }
}
