/// Redis Cluster routing: which endpoint owns each of the 16384 hash slots.
///
/// Fill it from `CLUSTER SHARDS` or `CLUSTER SLOTS` with `assign(_:to:)`. A slot whose owner is ejected, or that
/// no endpoint owns, has no endpoint: in a cluster only the owner may serve it (until a MOVED reply says otherwise).
///
/// ```swift
/// var map = HashSlotMap([WeightedEndpoint("10.0.0.1:7000"), WeightedEndpoint("10.0.0.2:7000")])
/// map.assign(0...8191, to: 0)
/// map.assign(8192...16383, to: 1)
/// let index = map.index(forKey: Array("{user1000}.following".utf8))
/// ```
public struct HashSlotMap<Endpoint: Sendable>: Sendable {
    /// The endpoints, with their ejection marks; weights are not used.
    public private(set) var endpoints: EndpointSet<Endpoint>

    @usableFromInline var owners: [Int32]

    /// A map over `endpoints` where no slot is assigned yet.
    public init(_ endpoints: [WeightedEndpoint<Endpoint>]) {
        self.endpoints = EndpointSet(endpoints)
        self.owners = Array(repeating: -1, count: HashSlot.count)
    }

    /// A map that splits the slots into contiguous, near-equal ranges in endpoint order, as
    /// `redis-cli --cluster create` does.
    public static func evenlySplit(_ endpoints: [WeightedEndpoint<Endpoint>]) -> HashSlotMap {
        var map = HashSlotMap(endpoints)
        guard !endpoints.isEmpty else { return map }
        for index in endpoints.indices {
            let lower = index * HashSlot.count / endpoints.count
            let upper = (index + 1) * HashSlot.count / endpoints.count - 1
            if lower <= upper { map.assign(lower...upper, to: index) }
        }
        return map
    }

    /// Makes the endpoint at `index` the owner of `slots`.
    public mutating func assign(_ slots: ClosedRange<Int>, to index: Int) {
        precondition(slots.lowerBound >= 0 && slots.upperBound < HashSlot.count, "slots are in 0...16383")
        precondition(self.endpoints.members.indices.contains(index), "no endpoint at that index")
        for slot in slots { self.owners[slot] = Int32(index) }
    }

    /// Leaves `slots` without an owner.
    public mutating func unassign(_ slots: ClosedRange<Int>) {
        for slot in slots.clamped(to: 0...(HashSlot.count - 1)) { self.owners[slot] = -1 }
    }

    /// The owner of `slot`, whether or not it is ejected.
    @inlinable
    public func owner(of slot: HashSlot) -> Int? {
        let owner = self.owners[Int(slot.rawValue)]
        return owner < 0 ? nil : Int(owner)
    }

    /// The live endpoint serving `slot`, or `nil` when it has no owner or its owner is ejected.
    @inlinable
    public func index(for slot: HashSlot) -> Int? {
        guard let owner = self.owner(of: slot), !self.endpoints.isEjected(at: owner) else { return nil }
        return owner
    }

    /// The live endpoint serving `key`'s slot (hash tags honoured).
    @inlinable
    public func index<Bytes: Collection<UInt8>>(forKey key: Bytes) -> Int? {
        self.index(for: HashSlot(key: key))
    }

    /// Ejects or readmits the endpoint at `index`.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        self.endpoints.setEjected(isEjected, at: index)
    }
}
