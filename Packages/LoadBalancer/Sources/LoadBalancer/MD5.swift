/// The MD5 message digest (RFC 1321), small and dependency-free, as ketama needs it to place its points.
///
/// MD5 is used here for placement only, never for security.
///
/// ```swift
/// let digest = MD5.digest(Array("abc".utf8))
/// assert(digest.hexString == "900150983cd24fb0d6963f7d28e17f72")
/// ```
public struct MD5: Hashable, Sendable {
    /// The four little-endian 32-bit words of the digest; `words.0` holds digest bytes 0 to 3.
    public let words: (UInt32, UInt32, UInt32, UInt32)

    /// The 16 digest bytes.
    public var bytes: [UInt8] {
        [self.words.0, self.words.1, self.words.2, self.words.3].flatMap { word in
            (0..<4).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) }
        }
    }

    /// The digest as 32 lowercase hexadecimal digits.
    public var hexString: String {
        self.bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// The digest word at `index` (0 to 3), the way ketama reads "alignment" `index` of a digest.
    public func word(_ index: Int) -> UInt32 {
        switch index {
        case 0: self.words.0
        case 1: self.words.1
        case 2: self.words.2
        default: self.words.3
        }
    }

    public static func == (lhs: MD5, rhs: MD5) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.words.0)
        hasher.combine(self.words.1)
        hasher.combine(self.words.2)
        hasher.combine(self.words.3)
    }

    /// The digest of `bytes`.
    public static func digest<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> MD5 {
        if let digest = bytes.withContiguousStorageIfAvailable({ Self.digest(bytes: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { Self.digest(bytes: $0) }
    }

    /// The digest of raw bytes.
    public static func digest(bytes message: UnsafeRawBufferPointer) -> MD5 {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476)
        let fullBlocks = message.count / 64
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { block in
            for blockIndex in 0..<fullBlocks {
                for wordIndex in 0..<16 {
                    block[wordIndex] = Self.littleEndianWord(message, at: blockIndex * 64 + wordIndex * 4)
                }
                Self.compress(&state, block)
            }
            // The tail: remaining bytes, 0x80, zero padding, then the bit length, in one or two blocks.
            withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
                tail.initializeMemory(as: UInt8.self, repeating: 0)
                let remaining = message.count - fullBlocks * 64
                for index in 0..<remaining { tail[index] = message[fullBlocks * 64 + index] }
                tail[remaining] = 0x80
                let tailLength = remaining < 56 ? 64 : 128
                let bitLength = UInt64(message.count) &* 8
                for byteIndex in 0..<8 {
                    tail[tailLength - 8 + byteIndex] = UInt8(truncatingIfNeeded: bitLength >> (byteIndex * 8))
                }
                let tailBytes = UnsafeRawBufferPointer(tail)
                for blockStart in stride(from: 0, to: tailLength, by: 64) {
                    for wordIndex in 0..<16 {
                        block[wordIndex] = Self.littleEndianWord(tailBytes, at: blockStart + wordIndex * 4)
                    }
                    Self.compress(&state, block)
                }
            }
        }
        return MD5(words: state)
    }

    private init(words: (UInt32, UInt32, UInt32, UInt32)) {
        self.words = words
    }

    private static func littleEndianWord(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32),
        _ block: UnsafeMutableBufferPointer<UInt32>
    ) {
        var a = state.0
        var b = state.1
        var c = state.2
        var d = state.3
        Self.sines.withUnsafeBufferPointer { sines in
            Self.shifts.withUnsafeBufferPointer { shifts in
                @inline(__always)
                func step(_ round: Int, _ mixed: UInt32, _ wordIndex: Int) {
                    let sum = mixed &+ a &+ sines[round] &+ block[wordIndex]
                    a = d
                    d = c
                    c = b
                    b = b &+ sum.rotatedLeft(by: shifts[round])
                }
                for round in 0..<16 { step(round, (b & c) | (~b & d), round) }
                for round in 16..<32 { step(round, (d & b) | (~d & c), (5 &* round &+ 1) & 15) }
                for round in 32..<48 { step(round, b ^ c ^ d, (3 &* round &+ 5) & 15) }
                for round in 48..<64 { step(round, c ^ (b | ~d), (7 &* round) & 15) }
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    // floor(|sin(i + 1)| * 2^32), from RFC 1321.
    private static let sines: [UInt32] = [
        0xD76A_A478, 0xE8C7_B756, 0x2420_70DB, 0xC1BD_CEEE,
        0xF57C_0FAF, 0x4787_C62A, 0xA830_4613, 0xFD46_9501,
        0x6980_98D8, 0x8B44_F7AF, 0xFFFF_5BB1, 0x895C_D7BE,
        0x6B90_1122, 0xFD98_7193, 0xA679_438E, 0x49B4_0821,
        0xF61E_2562, 0xC040_B340, 0x265E_5A51, 0xE9B6_C7AA,
        0xD62F_105D, 0x0244_1453, 0xD8A1_E681, 0xE7D3_FBC8,
        0x21E1_CDE6, 0xC337_07D6, 0xF4D5_0D87, 0x455A_14ED,
        0xA9E3_E905, 0xFCEF_A3F8, 0x676F_02D9, 0x8D2A_4C8A,
        0xFFFA_3942, 0x8771_F681, 0x6D9D_6122, 0xFDE5_380C,
        0xA4BE_EA44, 0x4BDE_CFA9, 0xF6BB_4B60, 0xBEBF_BC70,
        0x289B_7EC6, 0xEAA1_27FA, 0xD4EF_3085, 0x0488_1D05,
        0xD9D4_D039, 0xE6DB_99E5, 0x1FA2_7CF8, 0xC4AC_5665,
        0xF429_2244, 0x432A_FF97, 0xAB94_23A7, 0xFC93_A039,
        0x655B_59C3, 0x8F0C_CC92, 0xFFEF_F47D, 0x8584_5DD1,
        0x6FA8_7E4F, 0xFE2C_E6E0, 0xA301_4314, 0x4E08_11A1,
        0xF753_7E82, 0xBD3A_F235, 0x2AD7_D2BB, 0xEB86_D391,
    ]
}
