import Testing

@testable import SocketIO

@Suite struct ExponentialBackoffTests {
    @Test func ceilingDoublesUntilTheCap() {
        var backoff = ExponentialBackoff(base: .milliseconds(10), cap: .milliseconds(100))
        var generator = SplitMix64(seed: 1)
        var ceilings: [Duration] = []
        for _ in 0..<6 {
            ceilings.append(backoff.currentCeiling)
            _ = backoff.nextDelay(using: &generator)
        }
        #expect(
            ceilings == [
                .milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(100),
                .milliseconds(100),
            ]
        )
    }

    @Test func delaysStayWithinTheJitterRange() {
        var backoff = ExponentialBackoff(base: .milliseconds(1), cap: .seconds(1))
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let ceiling = backoff.currentCeiling
            let delay = backoff.nextDelay(using: &generator)
            #expect(delay >= .zero && delay <= ceiling)
        }
        #expect(backoff.currentCeiling == .seconds(1))
    }

    @Test func resetStartsOver() {
        var backoff = ExponentialBackoff(base: .milliseconds(5), cap: .seconds(1))
        for _ in 0..<10 { _ = backoff.nextDelay() }
        backoff.reset()
        #expect(backoff.attempt == 0)
        #expect(backoff.currentCeiling == .milliseconds(5))
    }

    @Test func hugeAttemptCountsDoNotOverflow() {
        var backoff = ExponentialBackoff(base: .seconds(1), cap: .seconds(30))
        for _ in 0..<500 { _ = backoff.nextDelay() }
        #expect(backoff.currentCeiling == .seconds(30))
    }
}

/// A small deterministic generator so jitter assertions are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
