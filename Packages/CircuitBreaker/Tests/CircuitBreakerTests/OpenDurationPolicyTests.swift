import Testing

@testable import CircuitBreaker

@Suite struct OpenDurationPolicyTests {
    let policy = OpenDurationPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(30), jitter: 0.25)

    @Test func growsExponentiallyUntilTheCap() {
        let waits = (1...7).map { self.policy.duration(forOpening: $0, randomFraction: 0.5) }
        #expect(
            waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30)]
        )
    }

    @Test func aHugeOpeningCountStaysAtTheCap() {
        #expect(self.policy.duration(forOpening: 10_000, randomFraction: 0.5) == .seconds(30))
    }

    @Test func jitterStaysWithinItsBounds() {
        for opening in 1...4 {
            let base = self.policy.duration(forOpening: opening, randomFraction: 0.5).secondsAsDouble
            let lowest = self.policy.duration(forOpening: opening, randomFraction: 0).secondsAsDouble
            let highest = self.policy.duration(forOpening: opening, randomFraction: 0.999_999).secondsAsDouble
            #expect(abs(lowest - base * 0.75) < 1e-9)
            #expect(highest < base * 1.25)
            #expect(highest > base * 1.249)
        }
    }

    @Test func jitterNeverExceedsTheCap() {
        let capped = self.policy.duration(forOpening: 9, randomFraction: 0.999_999)
        let lowest = self.policy.duration(forOpening: 9, randomFraction: 0)
        #expect(capped == .seconds(30))
        #expect(lowest == .seconds(22.5))
    }

    @Test func constantPolicyNeitherGrowsNorJitters() {
        let policy = OpenDurationPolicy.constant(.milliseconds(500))
        #expect(policy.duration(forOpening: 1, randomFraction: 0) == .milliseconds(500))
        #expect(policy.duration(forOpening: 8, randomFraction: 0.99) == .milliseconds(500))
    }

    @Test func theMachineDrawsJitterFromTheInjectedSource() throws {
        var configuration = CircuitBreakerConfiguration.testing()
        configuration.openDuration = OpenDurationPolicy(initial: .seconds(10), maximum: .seconds(100), jitter: 0.5)
        var low = CircuitBreakerStateMachine(
            configuration: configuration,
            randomSource: ScriptedRandomNumberGenerator.lowest
        )
        var high = CircuitBreakerStateMachine(
            configuration: configuration,
            randomSource: ScriptedRandomNumberGenerator.highest
        )
        low.calls(failures: 5, successes: 0, at: .zero)
        high.calls(failures: 5, successes: 0, at: .zero)
        #expect(low.openUntil == .seconds(5))
        let highUntil = try #require(high.openUntil)
        #expect(highUntil > .seconds(14.999))
        #expect(highUntil <= .seconds(15))
    }
}
