/// Modulo hashing, compatible with twemproxy 0.5.0 (`distribution: modula`).
///
/// Each live endpoint owns `weight` consecutive slots, in index order; a key goes to slot `hash % slots`.
/// Any change in the live set moves most keys, which is why ketama or maglev are usually preferred.
///
/// ```swift
/// let balancer = ModulaHashing([WeightedEndpoint("a"), WeightedEndpoint("b", weight: 2)], hash: .crc32a)
/// let index = balancer.index(forKey: Array("user:42".utf8))
/// ```
public struct ModulaHashing<Endpoint: Sendable>: Sendable, KeyedEndpointSelector {
    /// The endpoints, with their weights and ejection marks.
    public private(set) var endpoints: EndpointSet<Endpoint>

    /// The key hash function.
    public let hash: TwemproxyHash

    /// The hash tag, if keys are hashed only by their tagged part.
    public let hashTag: TwemproxyHashTag?

    @usableFromInline var slots: [Int] = []

    /// A balancer over `endpoints`, all live.
    public init(
        _ endpoints: [WeightedEndpoint<Endpoint>],
        hash: TwemproxyHash = .fnv1a64,
        hashTag: TwemproxyHashTag? = nil
    ) {
        self.endpoints = EndpointSet(endpoints)
        self.hash = hash
        self.hashTag = hashTag
        self.rebuild()
    }

    /// The index of the endpoint for raw key bytes, or `nil` when every endpoint is ejected.
    @inlinable
    public func index(forKeyBytes key: UnsafeRawBufferPointer) -> Int? {
        self.index(forHash: self.hash.keyHash(key, hashTag: self.hashTag))
    }

    /// The index of the endpoint for a precomputed hash.
    @inlinable
    public func index(forHash hash: UInt32) -> Int? {
        guard !self.slots.isEmpty else { return nil }
        return self.slots[Int(hash % UInt32(self.slots.count))]
    }

    /// The hash twemproxy computes for raw key bytes: the tagged part's hash, and 0 for an empty key.
    public func keyHash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        self.hash.keyHash(key, hashTag: self.hashTag)
    }

    /// Ejects or readmits the endpoint at `index`.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        guard self.endpoints.setEjected(isEjected, at: index) else { return }
        self.rebuild()
    }

    private mutating func rebuild() {
        self.slots = self.endpoints.liveIndices.flatMap { index in
            repeatElement(index, count: self.endpoints.weight(at: index))
        }
    }
}
