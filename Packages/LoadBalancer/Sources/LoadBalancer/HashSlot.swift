/// A Redis Cluster hash slot: CRC16 (XMODEM) of the key, or of its `{hash tag}`, modulo 16384.
///
/// Only the part between the first `{` and the next `}` is hashed, when that part is not empty, so that
/// `{user1000}.following` and `{user1000}.followers` land in the same slot.
///
/// ```swift
/// let slot = HashSlot(key: Array("{user1000}.following".utf8))
/// assert(slot == HashSlot(key: Array("user1000".utf8)))
/// ```
public struct HashSlot: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number of slots in a Redis Cluster.
    public static let count = 16384

    /// The slot number, in `0 ..< 16384`.
    public let rawValue: UInt16

    /// Wraps a slot number. Returns `nil` when it is out of range.
    public init?(rawValue: Int) {
        guard (0..<Self.count).contains(rawValue) else { return nil }
        self.rawValue = UInt16(rawValue)
    }

    /// Computes the slot of a key, honouring hash tags.
    @inlinable
    public init<Bytes: Collection<UInt8>>(key: Bytes) {
        if let slot = key.withContiguousStorageIfAvailable({ HashSlot(keyBytes: UnsafeRawBufferPointer($0)) }) {
            self = slot
        } else {
            self.init(keyBytes: Array(key))
        }
    }

    /// Computes the slot of a key given as raw bytes, honouring hash tags.
    public init(keyBytes key: UnsafeRawBufferPointer) {
        self.rawValue = CRC16.xmodem(Self.hashedPart(of: key)) & UInt16(Self.count - 1)
    }

    @usableFromInline
    init(keyBytes key: [UInt8]) {
        self = key.withUnsafeBytes { HashSlot(keyBytes: $0) }
    }

    public var description: String { String(self.rawValue) }

    public static func < (lhs: HashSlot, rhs: HashSlot) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The bytes Redis hashes: the content of the first non-empty `{...}`, or the whole key.
    static func hashedPart<Bytes: Collection<UInt8>>(of key: Bytes) -> Bytes.SubSequence {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
        let afterOpen = key.index(after: open)
        guard let close = key[afterOpen...].firstIndex(of: UInt8(ascii: "}")), close != afterOpen else {
            return key[...]
        }
        return key[afterOpen..<close]
    }
}
