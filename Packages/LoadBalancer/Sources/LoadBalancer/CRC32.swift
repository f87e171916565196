/// The IEEE 802.3 CRC-32 (reflected polynomial 0xEDB88320), the checksum behind twemproxy's `crc32` and `crc32a`.
///
/// ```swift
/// assert(CRC32.ieee(Array("123456789".utf8)) == 0xCBF4_3926)
/// ```
public enum CRC32 {
    /// The standard CRC-32 of `bytes`.
    public static func ieee<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = (crc >> 8) ^ Self.table[Int((crc ^ UInt32(byte)) & 0xFF)]
        }
        return ~crc
    }

    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 != 0 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }
}
