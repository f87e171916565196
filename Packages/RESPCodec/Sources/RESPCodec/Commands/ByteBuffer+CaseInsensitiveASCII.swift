import NIOCore

extension ByteBuffer {
    /// Whether the readable bytes spell `ascii`, ignoring ASCII case, without copying either side.
    func equalsCaseInsensitively(_ ascii: String) -> Bool {
        let utf8 = ascii.utf8
        guard self.readableBytes == utf8.count else { return false }
        return self.withUnsafeReadableBytes { bytes in
            var position = 0
            for expected in utf8 {
                let byte = bytes[position]
                if byte != expected && Self.lowercased(byte) != Self.lowercased(expected) { return false }
                position += 1
            }
            return true
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}
