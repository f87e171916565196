import Testing

@testable import LoadBalancer

@Suite struct SmoothWeightedRoundRobinTests {
    static func names(_ balancer: inout SmoothWeightedRoundRobin<String>, picks: Int) -> [String] {
        (0..<picks).map { _ in balancer.endpoints[balancer.next()!] }
    }

    @Test func weightsFiveOneOneGiveTheNginxSequence() {
        var balancer = SmoothWeightedRoundRobin([
            WeightedEndpoint("a", weight: 5), WeightedEndpoint("b"), WeightedEndpoint("c"),
        ])
        let expected = ["a", "a", "b", "a", "c", "a", "a"]
        #expect(Self.names(&balancer, picks: 14) == expected + expected)
    }

    @Test func equalWeightsArePlainRoundRobin() {
        var balancer = SmoothWeightedRoundRobin(["a", "b", "c"].map { WeightedEndpoint($0) })
        #expect(Self.names(&balancer, picks: 6) == ["a", "b", "c", "a", "b", "c"])
    }

    @Test func precomputedScheduleMatchesStepByStepSelection() {
        let endpoints = (0..<7).map { WeightedEndpoint("e\($0)", weight: [3, 1, 4, 1, 5, 9, 2][$0]) }
        var scheduled = SmoothWeightedRoundRobin(endpoints)
        var stepped = SmoothWeightedRoundRobin(endpoints, scheduleBudget: 0)
        #expect(Self.names(&scheduled, picks: 200) == Self.names(&stepped, picks: 200))
        scheduled.setEjected(true, at: 5)
        stepped.setEjected(true, at: 5)
        #expect(Self.names(&scheduled, picks: 50) == Self.names(&stepped, picks: 50))
    }

    @Test func ejectedEndpointsAreSkippedAndReadmitted() {
        var balancer = SmoothWeightedRoundRobin([
            WeightedEndpoint("a", weight: 5), WeightedEndpoint("b"), WeightedEndpoint("c"),
        ])
        balancer.setEjected(true, at: 0)
        #expect(Self.names(&balancer, picks: 4) == ["b", "c", "b", "c"])
        balancer.setEjected(false, at: 0)
        #expect(Self.names(&balancer, picks: 7).filter { $0 == "a" }.count == 5)
    }

    @Test func everyEndpointEjectedMeansNoPick() {
        var balancer = SmoothWeightedRoundRobin([WeightedEndpoint("a"), WeightedEndpoint("b")])
        balancer.setEjected(true, at: 0)
        balancer.setEjected(true, at: 1)
        #expect(balancer.next() == nil)
        var stepped = SmoothWeightedRoundRobin([WeightedEndpoint("a")], scheduleBudget: 0)
        stepped.setEjected(true, at: 0)
        #expect(stepped.next() == nil)
    }

    @Test func picksAreProportionalToWeightsOverAPeriod() {
        let weights = [2, 3, 5]
        var balancer = SmoothWeightedRoundRobin(
            weights.enumerated().map { WeightedEndpoint($0.offset, weight: $0.element) }
        )
        var hits = [0, 0, 0]
        for _ in 0..<1000 { hits[balancer.next()!] += 1 }
        #expect(hits == [200, 300, 500])
    }
}
