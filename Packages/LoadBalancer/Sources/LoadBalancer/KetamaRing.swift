/// Ketama consistent hashing, bit-for-bit compatible with twemproxy 0.5.0 (`distribution: ketama`).
///
/// Keys are hashed with one of twemproxy's functions (fnv1a_64 by default), optionally through a `hash_tag`,
/// and land on the first continuum point at or after the hash. Ejected endpoints leave the continuum, which is
/// rebuilt over the live ones, so only their keys move. Endpoint names longer than 80 bytes are not supported
/// (twemproxy truncates them into a fixed buffer).
///
/// ```swift
/// let servers = ["10.0.0.1:6379:1", "10.0.0.2:6379:1 shard-b"].compactMap(TwemproxyServer.init(parsing:))
/// let ring = KetamaRing(servers.map(\.weightedEndpoint), hash: .fnv1a64, hashTag: TwemproxyHashTag("{}"))
/// let index = ring.index(forKey: Array("user:{42}".utf8))
/// ```
public struct KetamaRing<Endpoint: Sendable>: Sendable, KeyedEndpointSelector {
    /// The endpoints, with their weights and ejection marks.
    public private(set) var endpoints: EndpointSet<Endpoint>

    /// The key hash function.
    public let hash: TwemproxyHash

    /// The hash tag, if keys are hashed only by their tagged part.
    public let hashTag: TwemproxyHashTag?

    /// The ring over the live endpoints.
    public private(set) var continuum: KetamaContinuum

    /// A ring over `endpoints`, all live.
    public init(
        _ endpoints: [WeightedEndpoint<Endpoint>],
        hash: TwemproxyHash = .fnv1a64,
        hashTag: TwemproxyHashTag? = nil
    ) {
        self.endpoints = EndpointSet(endpoints)
        self.hash = hash
        self.hashTag = hashTag
        self.continuum = Self.continuum(over: self.endpoints)
    }

    /// The index of the endpoint for raw key bytes, or `nil` when every endpoint is ejected.
    @inlinable
    public func index(forKeyBytes key: UnsafeRawBufferPointer) -> Int? {
        self.continuum.owner(ofHash: self.hash.keyHash(key, hashTag: self.hashTag))
    }

    /// The index of the endpoint for a precomputed key hash, or `nil` when every endpoint is ejected.
    @inlinable
    public func index(forHash hash: UInt32) -> Int? {
        self.continuum.owner(ofHash: hash)
    }

    /// The hash twemproxy computes for raw key bytes: the tagged part's hash, and 0 for an empty key.
    public func keyHash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        self.hash.keyHash(key, hashTag: self.hashTag)
    }

    /// Ejects or readmits the endpoint at `index`, rebuilding the continuum over the live endpoints.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        guard self.endpoints.setEjected(isEjected, at: index) else { return }
        self.continuum = Self.continuum(over: self.endpoints)
    }

    private static func continuum(over endpoints: EndpointSet<Endpoint>) -> KetamaContinuum {
        KetamaContinuum(
            servers: endpoints.liveIndices.map { index in
                (name: endpoints.members[index].name, weight: endpoints.weight(at: index), index: index)
            }
        )
    }
}
