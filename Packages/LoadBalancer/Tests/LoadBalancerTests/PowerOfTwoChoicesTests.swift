import Testing

@testable import LoadBalancer

@Suite struct PowerOfTwoChoicesTests {
    @Test func theLessLoadedOfTheTwoDrawsWins() {
        var balancer = PowerOfTwoChoices((0..<3).map { WeightedEndpoint($0) })
        for _ in 0..<5 { balancer.requestStarted(at: 0) }
        var generator = SplitMix64(seed: 11)
        let picks = (0..<1000).map { _ in balancer.pick(using: &generator)! }
        // Endpoint 0 is always drawn against an idle endpoint, which wins.
        #expect(!picks.contains(0))
        #expect(Set(picks) == [1, 2])
    }

    @Test func withTwoEndpointsTheIdleOneIsAlwaysChosen() {
        var balancer = PowerOfTwoChoices([WeightedEndpoint("a"), WeightedEndpoint("b")])
        balancer.requestStarted(at: 1)
        var generator = SplitMix64(seed: 5)
        #expect((0..<100).allSatisfy { _ in balancer.pick(using: &generator) == 0 })
        balancer.requestFinished(at: 1)
        balancer.requestStarted(at: 0)
        #expect((0..<100).allSatisfy { _ in balancer.pick(using: &generator) == 1 })
    }

    @Test func loadIsOutstandingRequestsPerUnitOfWeight() {
        var balancer = PowerOfTwoChoices([WeightedEndpoint("big", weight: 4), WeightedEndpoint("small")])
        for _ in 0..<3 { balancer.requestStarted(at: 0) }
        balancer.requestStarted(at: 1)
        var generator = SplitMix64(seed: 8)
        // 3 / 4 is less than 1 / 1.
        #expect((0..<100).allSatisfy { _ in balancer.pick(using: &generator) == 0 })
    }

    @Test func finishedRequestsAreCountedDownButNeverBelowZero() {
        var balancer = PowerOfTwoChoices([WeightedEndpoint("a"), WeightedEndpoint("b")])
        balancer.requestStarted(at: 0)
        balancer.requestStarted(at: 0)
        #expect(balancer.outstandingRequests(at: 0) == 2)
        balancer.requestFinished(at: 0)
        balancer.requestFinished(at: 0)
        balancer.requestFinished(at: 0)
        #expect(balancer.outstandingRequests(at: 0) == 0)
    }

    @Test func ejectedEndpointsAreSkipped() {
        var balancer = PowerOfTwoChoices((0..<4).map { WeightedEndpoint($0) })
        balancer.setEjected(true, at: 2)
        var generator = SplitMix64(seed: 1)
        #expect(!(0..<500).contains { _ in balancer.pick(using: &generator) == 2 })
        balancer.setEjected(true, at: 0)
        balancer.setEjected(true, at: 1)
        #expect((0..<10).allSatisfy { _ in balancer.pick(using: &generator) == 3 })
        balancer.setEjected(true, at: 3)
        #expect(balancer.pick(using: &generator) == nil)
    }

    @Test func simulatedLoadStaysEven() {
        let count = 20
        var balancer = PowerOfTwoChoices((0..<count).map { WeightedEndpoint($0) })
        var generator = SplitMix64(seed: 99)
        var hits = Array(repeating: 0, count: count)
        var inFlight: [Int] = []
        for _ in 0..<20_000 {
            let index = balancer.pick(using: &generator)!
            balancer.requestStarted(at: index)
            hits[index] += 1
            inFlight.append(index)
            if inFlight.count > 4 * count { balancer.requestFinished(at: inFlight.removeFirst()) }
        }
        #expect(hits.allSatisfy { abs($0 - 1000) <= 50 })
    }
}
