import Testing

@testable import CircuitBreaker

@Suite struct CircuitBreakerStateTests {
    @Test func permissionsFollowTheState() {
        #expect(CircuitBreakerState.closed.permitsCalls == .all)
        #expect(CircuitBreakerState.disabled.permitsCalls == .all)
        #expect(CircuitBreakerState.halfOpen.permitsCalls == .some)
        #expect(CircuitBreakerState.open.permitsCalls == .none)
        #expect(CircuitBreakerState.forcedOpen.permitsCalls == .none)
    }

    @Test func metricLabelsAreSnakeCase() {
        #expect(
            CircuitBreakerState.allCases.map(\.description) == [
                "closed", "open", "half_open", "forced_open", "disabled",
            ]
        )
    }
}
