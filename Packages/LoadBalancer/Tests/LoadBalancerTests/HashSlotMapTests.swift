import Testing

@testable import LoadBalancer

@Suite struct HashSlotMapTests {
    @Test func anEvenSplitCoversEverySlotInContiguousRanges() {
        let map = HashSlotMap.evenlySplit((0..<3).map { WeightedEndpoint($0) })
        let owners = (0..<HashSlot.count).map { map.owner(of: HashSlot(rawValue: $0)!)! }
        #expect(owners.first == 0 && owners.last == 2)
        #expect(zip(owners, owners.dropFirst()).allSatisfy { $0 <= $1 })
        let counts = (0..<3).map { index in owners.filter { $0 == index }.count }
        #expect(counts.max()! - counts.min()! <= 1)
    }

    @Test func keysGoToTheOwnerOfTheirSlot() {
        var map = HashSlotMap([WeightedEndpoint("a"), WeightedEndpoint("b")])
        map.assign(0...8191, to: 0)
        map.assign(8192...16383, to: 1)
        // "foo" is slot 12182 and "bar" slot 5061.
        #expect(map.index(forKey: Array("foo".utf8)) == 1)
        #expect(map.index(forKey: Array("bar".utf8)) == 0)
        #expect(map.index(forKey: Array("{bar}.suffix".utf8)) == 0)
    }

    @Test func unassignedSlotsAndEjectedOwnersHaveNoEndpoint() {
        var map = HashSlotMap([WeightedEndpoint("a"), WeightedEndpoint("b")])
        map.assign(0...100, to: 0)
        #expect(map.index(for: HashSlot(rawValue: 101)!) == nil)
        #expect(map.index(for: HashSlot(rawValue: 50)!) == 0)
        map.setEjected(true, at: 0)
        #expect(map.index(for: HashSlot(rawValue: 50)!) == nil)
        #expect(map.owner(of: HashSlot(rawValue: 50)!) == 0)
        map.unassign(0...50)
        #expect(map.owner(of: HashSlot(rawValue: 50)!) == nil)
        #expect(map.owner(of: HashSlot(rawValue: 51)!) == 0)
    }

    @Test func reassigningASlotMovesIt() {
        var map = HashSlotMap.evenlySplit([WeightedEndpoint("a"), WeightedEndpoint("b")])
        let slot = HashSlot(key: Array("foo".utf8))
        #expect(map.index(for: slot) == 1)
        map.assign(Int(slot.rawValue)...Int(slot.rawValue), to: 0)
        #expect(map.index(forKey: Array("foo".utf8)) == 0)
    }
}
