import Testing

@testable import LoadBalancer

@Suite struct KetamaRingTests {
    static let keys: [[UInt8]] = (0..<5000).map { Array("key:\($0)".utf8) }

    static func pointCounts(_ continuum: KetamaContinuum, servers: Int) -> [Int] {
        var counts = Array(repeating: 0, count: servers)
        for owner in continuum.owners { counts[owner] += 1 }
        return counts
    }

    @Test func equalWeightsGive160PointsPerServer() {
        let ring = KetamaRing((0..<4).map { WeightedEndpoint("server-\($0)") })
        #expect(Self.pointCounts(ring.continuum, servers: 4) == [160, 160, 160, 160])
        #expect(zip(ring.continuum.values, ring.continuum.values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func pointsFollowWeights() {
        // floor(weight / 4 × 40 × 3) × 4 points: 120, 240 and 120.
        let ring = KetamaRing([
            WeightedEndpoint("a", weight: 1), WeightedEndpoint("b", weight: 2), WeightedEndpoint("c", weight: 1),
        ])
        #expect(Self.pointCounts(ring.continuum, servers: 3) == [120, 240, 120])
    }

    // twemproxy computes the share in single precision: at exactly 100 servers 40 becomes 39.999996, so each
    // server gets 39 digests (156 points). The 100-entry case of the nutcracker fixture confirms it.
    @Test func singlePrecisionPointCountsMatchTwemproxy() {
        let hundred = KetamaRing((0..<100).map { WeightedEndpoint($0) })
        #expect(Set(Self.pointCounts(hundred.continuum, servers: 100)) == [156])
        let ninetyNine = KetamaRing((0..<99).map { WeightedEndpoint($0) })
        #expect(Set(Self.pointCounts(ninetyNine.continuum, servers: 99)) == [160])
    }

    @Test func pointsAreTheFourWordsOfEachNameDigest() {
        let ring = KetamaRing([WeightedEndpoint(0, name: "cache-a")])
        var expected: [UInt32] = []
        for digestIndex in 0..<40 {
            let digest = MD5.digest(Array("cache-a-\(digestIndex)".utf8))
            expected += (0..<4).map { digest.word($0) }
        }
        #expect(ring.continuum.values == expected.sorted())
    }

    @Test func aHashGoesToTheNextPointAndWrapsAround() {
        let ring = KetamaRing([WeightedEndpoint(0, name: "a"), WeightedEndpoint(1, name: "b")])
        let values = ring.continuum.values
        let owners = ring.continuum.owners
        #expect(ring.continuum.owner(ofHash: values[10]) == owners[10])
        #expect(ring.continuum.owner(ofHash: values[10] + 1) == owners[11])
        #expect(ring.continuum.owner(ofHash: values.last! + 1) == owners[0])
        #expect(ring.continuum.owner(ofHash: 0) == owners[0])
    }

    @Test func lookupsAgreeWithALinearScan() {
        let ring = KetamaRing((0..<7).map { WeightedEndpoint($0, weight: 1 + $0 % 3) })
        let values = ring.continuum.values
        var generator = SplitMix64(seed: 31)
        let probes = (0..<2000).map { _ in UInt32.random(in: .min ... .max, using: &generator) } + values + [0, .max]
        for hash in probes {
            let position = values.firstIndex { $0 >= hash } ?? 0
            #expect(ring.continuum.owner(ofHash: hash) == ring.continuum.owners[position])
        }
    }

    @Test func ejectingAServerMovesOnlyItsKeys() {
        var ring = KetamaRing((0..<10).map { WeightedEndpoint($0, name: "10.0.0.\($0):6379") })
        let before = Self.keys.map { ring.index(forKey: $0)! }
        ring.setEjected(true, at: 3)
        let after = Self.keys.map { ring.index(forKey: $0)! }
        for (old, new) in zip(before, after) {
            if old == 3 { #expect(new != 3) } else { #expect(new == old) }
        }
        #expect(before.contains(3))
        ring.setEjected(false, at: 3)
        #expect(Self.keys.map { ring.index(forKey: $0)! } == before)
    }

    @Test func everyServerEjectedMeansNoServer() {
        var ring = KetamaRing([WeightedEndpoint("a"), WeightedEndpoint("b")])
        ring.setEjected(true, at: 0)
        ring.setEjected(true, at: 1)
        #expect(ring.index(forKey: Array("key".utf8)) == nil)
    }

    @Test func hashTagsKeepRelatedKeysTogether() {
        let ring = KetamaRing((0..<8).map { WeightedEndpoint($0) }, hashTag: TwemproxyHashTag("{}"))
        let owner = ring.index(forKey: Array("user".utf8))
        for suffix in ["profile", "cart", "sessions", "x"] {
            #expect(ring.index(forKey: Array("\(suffix):{user}".utf8)) == owner)
        }
    }

    @Test func anEmptyKeyHashesToZero() {
        let ring = KetamaRing((0..<3).map { WeightedEndpoint($0) })
        [UInt8]().withUnsafeBytes { #expect(ring.keyHash($0) == 0) }
        #expect(ring.index(forKey: [UInt8]()) == ring.continuum.owner(ofHash: 0))
    }
}
