/// A command name, lowercased and packed into three words, so that looking a name up hashes a few integers
/// instead of building a `String`. Names longer than 24 bytes are no Redis command.
struct RESPCommandNameKey: Hashable, Sendable {
    static let capacity = 24

    private var word0: UInt64 = 0
    private var word1: UInt64 = 0
    private var word2: UInt64 = 0
    private var length: Int = 0

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= Self.capacity else { return nil }
        for byte in bytes {
            self.append(byte)
        }
    }

    init?(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            guard self.length < Self.capacity else { return nil }
            self.append(byte)
        }
    }

    /// A cheap multiplicative mix of the words, for ``RESPCommandNameIndex``'s open addressing.
    var mixedHash: UInt64 {
        let folded = self.word0 ^ (self.word1 &* 0xFF51_AFD7_ED55_8CCD) ^ (self.word2 &* 0xC4CE_B9FE_1A85_EC53)
        return (folded ^ UInt64(self.length)) &* 0x9E37_79B9_7F4A_7C15
    }

    private mutating func append(_ byte: UInt8) {
        let lowered = UInt64(byte &- 0x41 < 26 ? byte | 0x20 : byte)
        let shift = UInt64((self.length & 7) * 8)
        switch self.length >> 3 {
        case 0: self.word0 |= lowered << shift
        case 1: self.word1 |= lowered << shift
        default: self.word2 |= lowered << shift
        }
        self.length += 1
    }
}
