/// The key hash functions of twemproxy (nutcracker) 0.5.0, bit for bit, selected by `hash:` in `nutcracker.yml`.
///
/// Several of them keep twemproxy's quirks on purpose: `fnv1a_64` is really a 32-bit FNV-1a with truncated 64-bit
/// constants, `crc16` is XMODEM kept in a 32-bit register that is never masked, `crc32` returns 15 bits, and the FNV and one-at-a-time functions read key bytes as signed `char`.
///
/// ```swift
/// let hash = TwemproxyHash.fnv1a64.hash(Array("user:1".utf8))
/// let same = TwemproxyHash(configName: "fnv1a_64")!.hash(Array("user:1".utf8))
/// assert(hash == same)
/// ```
public enum TwemproxyHash: String, CaseIterable, Hashable, Sendable {
    case fnv1a64 = "fnv1a_64"
    case fnv164 = "fnv1_64"
    case fnv1a32 = "fnv1a_32"
    case fnv132 = "fnv1_32"
    case crc16 = "crc16"
    case crc32 = "crc32"
    case crc32a = "crc32a"
    case md5 = "md5"
    case oneAtATime = "one_at_a_time"
    case hsieh = "hsieh"
    case murmur = "murmur"
    case jenkins = "jenkins"

    /// The function named as in `nutcracker.yml` (`fnv1a_64`, `one_at_a_time`, ...), or `nil` when unknown.
    public init?(configName: String) {
        self.init(rawValue: configName)
    }

    /// The name `nutcracker.yml` uses.
    public var configName: String { self.rawValue }

    /// The 32-bit hash of `key`.
    @inlinable
    public func hash<Bytes: Collection<UInt8>>(_ key: Bytes) -> UInt32 {
        if let hash = key.withContiguousStorageIfAvailable({ self.hash(bytes: UnsafeRawBufferPointer($0)) }) {
            return hash
        }
        return Array(key).withUnsafeBytes { self.hash(bytes: $0) }
    }

    /// The hash twemproxy uses to place a key: the hash of the tagged part when `hashTag` applies, and 0 for an
    /// empty key.
    public func keyHash(_ key: UnsafeRawBufferPointer, hashTag: TwemproxyHashTag?) -> UInt32 {
        let hashed = hashTag.map { $0.hashedPart(of: key) } ?? key
        return hashed.isEmpty ? 0 : self.hash(bytes: hashed)
    }

    /// The 32-bit hash of raw key bytes.
    public func hash(bytes key: UnsafeRawBufferPointer) -> UInt32 {
        switch self {
        case .fnv1a64: Self.fnv1a64(key)
        case .fnv164: Self.fnv164(key)
        case .fnv1a32: Self.fnv1a32(key)
        case .fnv132: Self.fnv132(key)
        case .crc16: Self.crc16(key)
        case .crc32: (CRC32.ieee(key) >> 16) & 0x7FFF
        case .crc32a: CRC32.ieee(key)
        case .md5: MD5.digest(bytes: key).words.0
        case .oneAtATime: Self.oneAtATime(key)
        case .hsieh: Self.hsieh(key)
        case .murmur: Self.murmur(key)
        case .jenkins: Self.lookup3(key, initialValue: 13)
        }
    }
}
