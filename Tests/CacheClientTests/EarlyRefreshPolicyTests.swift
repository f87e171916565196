import CacheClient
import Testing

@Suite struct EarlyRefreshPolicyTests {
    let policy = EarlyRefreshPolicy(recomputeTime: .milliseconds(200), beta: 1, ttlJitter: 0.1)

    @Test func farFromExpiryNobodyRefreshes() {
        for random in [0.001, 0.1, 0.5, 1.0] {
            #expect(!self.policy.shouldRefresh(remaining: .seconds(30), random: random))
        }
    }

    @Test func theThresholdIsDeltaTimesBetaTimesMinusLogU() {
        // u = 0.5: threshold = 0.2 s × ln 2 ≈ 138.6 ms
        #expect(self.policy.shouldRefresh(remaining: .milliseconds(138), random: 0.5))
        #expect(!self.policy.shouldRefresh(remaining: .milliseconds(139), random: 0.5))
        // u = 1 never refreshes early; an expired key always refreshes.
        #expect(!self.policy.shouldRefresh(remaining: .milliseconds(1), random: 1))
        #expect(self.policy.shouldRefresh(remaining: .zero, random: 1))
    }

    @Test func aLargerBetaRefreshesEarlier() {
        let eager = EarlyRefreshPolicy(recomputeTime: .milliseconds(200), beta: 3, ttlJitter: 0)
        #expect(eager.shouldRefresh(remaining: .milliseconds(400), random: 0.5))
        #expect(!self.policy.shouldRefresh(remaining: .milliseconds(400), random: 0.5))
    }

    @Test func refreshesGetLikelierTowardsExpiry() {
        let randoms = (1...1_000).map { Double($0) / 1_000 }
        func share(_ remaining: Duration) -> Int {
            randoms.filter { self.policy.shouldRefresh(remaining: remaining, random: $0) }.count
        }
        #expect(share(.milliseconds(10)) > share(.milliseconds(100)))
        #expect(share(.milliseconds(100)) > share(.milliseconds(500)))
        #expect(share(.seconds(10)) == 0)
    }

    @Test func ttlJitterShortensByAtMostTheJitterShare() {
        #expect(self.policy.jitteredTTL(.seconds(60), random: 0) == .seconds(60))
        let half = self.policy.jitteredTTL(.seconds(60), random: 0.5)
        #expect(half > .milliseconds(56_999) && half < .milliseconds(57_001))
        #expect(self.policy.jitteredTTL(.seconds(60), random: 0.999_999) > .seconds(54))
        #expect(EarlyRefreshPolicy(ttlJitter: 1).jitteredTTL(.seconds(1), random: 1) == .milliseconds(1))
    }
}
