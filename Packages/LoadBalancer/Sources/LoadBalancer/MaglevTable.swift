/// Maglev consistent hashing (Google, NSDI 2016): a lookup table of prime size filled from per-endpoint
/// permutations, so every endpoint owns an almost equal share of slots and few keys move when the set changes.
///
/// Weighted endpoints take turns in proportion to their weights while the table fills. A lookup is one hash and
/// one table read. Ejected endpoints are left out and the table is rebuilt.
///
/// ```swift
/// let table = MaglevTable(["10.0.0.1:6379", "10.0.0.2:6379"].map { WeightedEndpoint($0) })
/// let index = table.index(forKey: Array("user:42".utf8))
/// ```
public struct MaglevTable<Endpoint: Sendable>: Sendable, KeyedEndpointSelector {
    /// The default table size, a prime well above 100 × the endpoints in a typical pool.
    public static var defaultTableSize: Int { 65537 }

    /// The endpoints, with their weights and ejection marks.
    public private(set) var endpoints: EndpointSet<Endpoint>

    /// The number of slots, a prime.
    public let tableSize: Int

    /// `slots[i]` is the endpoint index owning slot `i`; empty when every endpoint is ejected.
    public private(set) var slots: [Int32] = []

    /// A table over `endpoints`, all live. `tableSize` must be a prime larger than the number of endpoints.
    public init(_ endpoints: [WeightedEndpoint<Endpoint>], tableSize: Int = Self.defaultTableSize) {
        precondition(Self.isPrime(tableSize), "the maglev table size must be a prime")
        precondition(tableSize > endpoints.count, "the maglev table must be larger than the endpoint count")
        self.endpoints = EndpointSet(endpoints)
        self.tableSize = tableSize
        self.rebuild()
    }

    /// The index of the endpoint for raw key bytes, or `nil` when every endpoint is ejected.
    @inlinable
    public func index(forKeyBytes key: UnsafeRawBufferPointer) -> Int? {
        self.index(forHash: StableHash.hash(bytes: key))
    }

    /// The index of the endpoint for a precomputed 64-bit key hash.
    @inlinable
    public func index(forHash hash: UInt64) -> Int? {
        guard !self.slots.isEmpty else { return nil }
        return Int(self.slots[Int(hash % UInt64(self.tableSize))])
    }

    /// Ejects or readmits the endpoint at `index`, rebuilding the table.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        guard self.endpoints.setEjected(isEjected, at: index) else { return }
        self.rebuild()
    }

    private mutating func rebuild() {
        let live = self.endpoints.liveIndices
        guard !live.isEmpty else {
            self.slots = []
            return
        }
        let size = UInt64(self.tableSize)
        let offsets = live.map { StableHash.hash(Array(self.endpoints.members[$0].name.utf8), seed: 0x6F66) % size }
        let skips = live.map {
            StableHash.hash(Array(self.endpoints.members[$0].name.utf8), seed: 0x736B) % (size - 1) + 1
        }
        let weights = live.map { self.endpoints.weight(at: $0) }
        let heaviest = weights.max()!
        var nextPermutationStep = [UInt64](repeating: 0, count: live.count)
        var credits = [Int](repeating: 0, count: live.count)
        var slots = [Int32](repeating: -1, count: self.tableSize)
        var filled = 0
        while filled < self.tableSize {
            for position in live.indices {
                credits[position] += weights[position]
                guard credits[position] >= heaviest else { continue }
                credits[position] -= heaviest
                var slot: Int
                repeat {
                    slot = Int((offsets[position] + nextPermutationStep[position] * skips[position]) % size)
                    nextPermutationStep[position] += 1
                } while slots[slot] >= 0
                slots[slot] = Int32(live[position])
                filled += 1
                if filled == self.tableSize { break }
            }
        }
        self.slots = slots
    }

    private static func isPrime(_ value: Int) -> Bool {
        guard value >= 2 else { return false }
        var divisor = 2
        while divisor * divisor <= value {
            if value % divisor == 0 { return false }
            divisor += 1
        }
        return true
    }
}
