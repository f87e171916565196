import Testing

@testable import LoadBalancer

@Suite struct EndpointSetTests {
    @Test func ejectionKeepsIndicesStable() {
        var set = EndpointSet(["a", "b", "c"].map { WeightedEndpoint($0, weight: 2) })
        #expect(set.liveIndices == [0, 1, 2])
        #expect(set.liveWeight == 6)
        let changed = set.setEjected(true, at: 1)
        let changedAgain = set.setEjected(true, at: 1)
        #expect(changed)
        #expect(!changedAgain)
        #expect(set.liveIndices == [0, 2])
        #expect(set[2] == "c")
        #expect(set.isEjected(at: 1))
        #expect(set.liveWeight == 4)
        let readmitted = set.setEjected(false, at: 1)
        #expect(readmitted)
        #expect(set.liveIndices == [0, 1, 2])
    }

    @Test func namesDefaultToTheEndpointDescription() {
        #expect(WeightedEndpoint(6379).name == "6379")
        #expect(WeightedEndpoint(6379, name: "primary").name == "primary")
    }
}
