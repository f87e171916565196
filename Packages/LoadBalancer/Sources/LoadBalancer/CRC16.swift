/// CRC16-CCITT in the XMODEM variant (polynomial 0x1021, initial value 0), the checksum Redis Cluster uses.
///
/// ```swift
/// assert(CRC16.xmodem(Array("123456789".utf8)) == 0x31C3)
/// ```
public enum CRC16 {
    /// The XMODEM checksum of `bytes`.
    public static func xmodem<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ Self.table[Int((crc >> 8) ^ UInt16(byte))]
        }
        return crc
    }

    static let table: [UInt16] = (0..<256).map { index in
        var value = UInt16(index) << 8
        for _ in 0..<8 {
            value = value & 0x8000 != 0 ? (value << 1) ^ 0x1021 : value << 1
        }
        return value
    }
}
