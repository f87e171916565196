/// A twemproxy server pool's key-to-server choice: `hash`, `hash_tag`, `distribution` and `servers:` together.
///
/// twemproxy orders a pool's servers by their ketama name (shorter names first, then bytewise) before it builds
/// the distribution, which decides where modula sends a key. The router does the same internally, but its
/// indices always refer to `servers` in the order given.
///
/// ```swift
/// let servers = ["10.0.0.1:6379:1", "10.0.0.2:6379:1"].compactMap(TwemproxyServer.init(parsing:))
/// let router = TwemproxyRouter(servers: servers, hash: .murmur, distribution: .modula)
/// let index = router.index(forKey: Array("user:1".utf8))
/// ```
public struct TwemproxyRouter: Sendable {
    /// The pool's servers, in `servers:` order.
    public let servers: [TwemproxyServer]

    /// The key hash function.
    public let hash: TwemproxyHash

    /// The distribution.
    public let distribution: TwemproxyDistribution

    /// The hash tag, if any.
    public let hashTag: TwemproxyHashTag?

    // twemproxy's pool position -> index in `servers`, and back.
    private let configIndexByPosition: [Int]
    private let positionByConfigIndex: [Int]
    private var ketama: KetamaRing<TwemproxyServer>?
    private var modula: ModulaHashing<TwemproxyServer>?
    private var random: WeightedRandom<TwemproxyServer>?

    /// A router over `servers`, all live.
    public init(
        servers: [TwemproxyServer],
        hash: TwemproxyHash = .fnv1a64,
        distribution: TwemproxyDistribution = .ketama,
        hashTag: TwemproxyHashTag? = nil
    ) {
        self.servers = servers
        self.hash = hash
        self.distribution = distribution
        self.hashTag = hashTag
        let order = servers.indices.sorted { left, right in
            let leftName = Array(servers[left].ketamaName.utf8)
            let rightName = Array(servers[right].ketamaName.utf8)
            guard leftName.count == rightName.count else { return leftName.count < rightName.count }
            return leftName.lexicographicallyPrecedes(rightName)
        }
        var positions = Array(repeating: 0, count: servers.count)
        for (position, configIndex) in order.enumerated() { positions[configIndex] = position }
        self.configIndexByPosition = order
        self.positionByConfigIndex = positions
        let endpoints = order.map { servers[$0].weightedEndpoint }
        switch distribution {
        case .ketama: self.ketama = KetamaRing(endpoints, hash: hash, hashTag: hashTag)
        case .modula: self.modula = ModulaHashing(endpoints, hash: hash, hashTag: hashTag)
        case .random: self.random = WeightedRandom(order.map { WeightedEndpoint(servers[$0]) })
        }
    }

    /// The index in `servers` of the server for `key`, or `nil` when every server is ejected. `generator` is used
    /// only by the random distribution.
    public func index<Bytes: Collection<UInt8>, Generator: RandomNumberGenerator>(
        forKey key: Bytes,
        using generator: inout Generator
    ) -> Int? {
        let position: Int?
        if let ketama {
            position = ketama.index(forKey: key)
        } else if let modula {
            position = modula.index(forKey: key)
        } else {
            position = self.random?.pick(using: &generator)
        }
        return position.map { self.configIndexByPosition[$0] }
    }

    /// The index in `servers` of the server for `key`; the random distribution draws from the system generator.
    public func index<Bytes: Collection<UInt8>>(forKey key: Bytes) -> Int? {
        var generator = SystemRandomNumberGenerator()
        return self.index(forKey: key, using: &generator)
    }

    /// Ejects or readmits `servers[index]`, as twemproxy's `auto_eject_hosts` does.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        let position = self.positionByConfigIndex[index]
        self.ketama?.setEjected(isEjected, at: position)
        self.modula?.setEjected(isEjected, at: position)
        self.random?.setEjected(isEjected, at: position)
    }
}
