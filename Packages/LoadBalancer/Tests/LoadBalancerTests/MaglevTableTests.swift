import Testing

@testable import LoadBalancer

@Suite struct MaglevTableTests {
    static let keys: [[UInt8]] = (0..<20_000).map { Array("key:\($0)".utf8) }

    static func shares(_ table: MaglevTable<Int>) -> [Int] {
        var shares = Array(repeating: 0, count: table.endpoints.count)
        for slot in table.slots { shares[Int(slot)] += 1 }
        return shares
    }

    @Test func theTableIsFullyPopulatedAndEven() {
        let table = MaglevTable((0..<7).map { WeightedEndpoint($0) })
        #expect(table.tableSize == 65537)
        #expect(table.slots.count == 65537)
        #expect(table.slots.allSatisfy { (0..<7).contains(Int($0)) })
        let shares = Self.shares(table)
        #expect(shares.max()! - shares.min()! <= 1)
    }

    @Test func smallPrimeTablesWork() {
        let table = MaglevTable((0..<3).map { WeightedEndpoint($0) }, tableSize: 13)
        #expect(table.slots.count == 13)
        #expect(Set(table.slots) == [0, 1, 2])
    }

    @Test func weightsSetTheShareOfSlots() {
        let table = MaglevTable([WeightedEndpoint(0, weight: 1), WeightedEndpoint(1, weight: 3)])
        let shares = Self.shares(table)
        #expect(abs(Double(shares[1]) / Double(shares[0]) - 3) < 0.01)
    }

    @Test func removingAnEndpointDisruptsLittle() {
        var table = MaglevTable((0..<20).map { WeightedEndpoint($0) })
        let before = Self.keys.map { table.index(forKey: $0)! }
        table.setEjected(true, at: 4)
        let after = Self.keys.map { table.index(forKey: $0)! }
        #expect(!after.contains(4))
        let movedFromSurvivors = zip(before, after).filter { $0.0 != 4 && $0.0 != $0.1 }.count
        // Maglev trades a little disruption for balance; well under 1/N of the keys move needlessly.
        #expect(Double(movedFromSurvivors) / Double(Self.keys.count) < 0.02)
        table.setEjected(false, at: 4)
        #expect(Self.keys.map { table.index(forKey: $0)! } == before)
    }

    @Test func everyEndpointEjectedEmptiesTheTable() {
        var table = MaglevTable([WeightedEndpoint("a")], tableSize: 7)
        table.setEjected(true, at: 0)
        #expect(table.slots.isEmpty)
        #expect(table.index(forKey: Array("key".utf8)) == nil)
    }

    @Test func placementDependsOnNamesNotOrder() {
        let names = (0..<5).map { "10.0.0.\($0):6379" }
        let forward = MaglevTable(names.map { WeightedEndpoint($0) })
        let backward = MaglevTable(names.reversed().map { WeightedEndpoint($0) })
        let agreeing = Self.keys.prefix(2000).filter { key in
            forward.endpoints[forward.index(forKey: key)!] == backward.endpoints[backward.index(forKey: key)!]
        }
        #expect(agreeing.count > 1900)
    }
}
