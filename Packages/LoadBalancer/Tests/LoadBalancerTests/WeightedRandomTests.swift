import Testing

@testable import LoadBalancer

@Suite struct WeightedRandomTests {
    @Test func picksAreRoughlyProportionalToWeights() {
        let balancer = WeightedRandom([1, 2, 7].enumerated().map { WeightedEndpoint($0.offset, weight: $0.element) })
        var generator = SplitMix64(seed: 2026)
        var hits = [0, 0, 0]
        let picks = 100_000
        for _ in 0..<picks { hits[balancer.pick(using: &generator)!] += 1 }
        for (index, share) in [0.1, 0.2, 0.7].enumerated() {
            #expect(abs(Double(hits[index]) / Double(picks) - share) < 0.01)
        }
    }

    @Test func theSameSeedGivesTheSamePicks() {
        let balancer = WeightedRandom((0..<5).map { WeightedEndpoint($0, weight: $0 + 1) })
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        let one = (0..<50).map { _ in balancer.pick(using: &first)! }
        let other = (0..<50).map { _ in balancer.pick(using: &second)! }
        #expect(one == other)
        #expect(Set(one).count > 1)
    }

    @Test func ejectedEndpointsAreNeverPicked() {
        var balancer = WeightedRandom((0..<4).map { WeightedEndpoint($0, weight: 10) })
        balancer.setEjected(true, at: 1)
        balancer.setEjected(true, at: 3)
        var generator = SplitMix64(seed: 3)
        let picked = Set((0..<1000).map { _ in balancer.pick(using: &generator)! })
        #expect(picked == [0, 2])
        balancer.setEjected(true, at: 0)
        balancer.setEjected(true, at: 2)
        #expect(balancer.pick(using: &generator) == nil)
        #expect(balancer.pick() == nil)
    }
}
