import Testing

@testable import LoadBalancer

@Suite struct ModulaHashingTests {
    @Test func eachEndpointOwnsWeightConsecutiveSlots() {
        let balancer = ModulaHashing([WeightedEndpoint("a"), WeightedEndpoint("b", weight: 2)])
        #expect((0..<6).map { balancer.index(forHash: $0) } == [0, 1, 1, 0, 1, 1])
    }

    @Test func keysUseTheHashModuloTheLiveWeight() {
        let balancer = ModulaHashing((0..<5).map { WeightedEndpoint($0) }, hash: .crc32a)
        for key in ["a", "user:1", "hello world!"] {
            let bytes = Array(key.utf8)
            #expect(balancer.index(forKey: bytes) == Int(CRC32.ieee(bytes) % 5))
        }
    }

    @Test func ejectedEndpointsLoseTheirSlots() {
        var balancer = ModulaHashing([WeightedEndpoint("a"), WeightedEndpoint("b", weight: 2), WeightedEndpoint("c")])
        balancer.setEjected(true, at: 1)
        #expect((0..<4).map { balancer.index(forHash: $0) } == [0, 2, 0, 2])
        balancer.setEjected(true, at: 0)
        balancer.setEjected(true, at: 2)
        #expect(balancer.index(forHash: 1) == nil)
    }

    @Test func hashTagsSelectTheHashedPart() {
        let balancer = ModulaHashing((0..<7).map { WeightedEndpoint($0) }, hashTag: TwemproxyHashTag("[]"))
        #expect(balancer.index(forKey: Array("a[order-9]b".utf8)) == balancer.index(forKey: Array("order-9".utf8)))
    }
}
