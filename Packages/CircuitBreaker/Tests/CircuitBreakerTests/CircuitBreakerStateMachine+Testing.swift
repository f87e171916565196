@testable import CircuitBreaker

extension CircuitBreakerStateMachine.AcquireDecision {
    var tag: CircuitBreakerPermitTag? {
        if case .permitted(let tag) = self { return tag }
        return nil
    }

    var error: CallNotPermittedError? {
        if case .notPermitted(let error) = self { return error }
        return nil
    }
}

extension CircuitBreakerStateMachine {
    /// Acquires a permit and records `outcome` straight away; nil when the call was refused.
    @discardableResult
    mutating func call(
        _ outcome: CircuitBreakerOutcome,
        duration: Duration = .milliseconds(1),
        at now: Duration
    ) -> RecordAction? {
        guard let tag = self.acquirePermit(at: now).decision.tag else { return nil }
        return self.record(outcome, duration: duration, for: tag, at: now)
    }

    /// Records `failures` failures then `successes` successes, all at `now`.
    mutating func calls(failures: Int, successes: Int, at now: Duration) {
        for _ in 0..<failures { self.call(.failure, at: now) }
        for _ in 0..<successes { self.call(.success, at: now) }
    }
}

extension CircuitBreakerConfiguration {
    /// A small, jitter-free configuration that tests adjust.
    static func testing(
        window: SlidingWindowKind = .countBased(calls: 10),
        minimumNumberOfCalls: Int = 5,
        failureRateThreshold: Double = 0.5,
        openDuration: OpenDurationPolicy = .constant(.seconds(10)),
        halfOpen: HalfOpenPolicy = HalfOpenPolicy(permittedCalls: 3, permitTimeout: .seconds(5))
    ) -> Self {
        var configuration = CircuitBreakerConfiguration()
        configuration.slidingWindow = window
        configuration.minimumNumberOfCalls = minimumNumberOfCalls
        configuration.failureRateThreshold = failureRateThreshold
        configuration.slowCallDurationThreshold = .seconds(1)
        configuration.openDuration = openDuration
        configuration.halfOpen = halfOpen
        return configuration
    }
}
