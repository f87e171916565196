// MARK: - The algorithms behind each case, in twemproxy's exact arithmetic

extension TwemproxyHash {
    /// A key byte as twemproxy reads it through a signed `char` on x86-64 and ARM64 Linux builds: sign-extended.
    @inline(__always)
    static func signedChar(_ byte: UInt8) -> UInt32 {
        UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
    }

    static func fnv1a64(_ key: UnsafeRawBufferPointer) -> UInt32 {
        // The low 32 bits of the 64-bit offset basis and prime, with 32-bit arithmetic.
        var hash: UInt32 = 0x8422_2325
        for byte in key {
            hash ^= Self.signedChar(byte)
            hash = hash &* 0x0000_01B3
        }
        return hash
    }

    static func fnv164(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key {
            hash = hash &* 0x0000_0100_0000_01B3
            hash ^= UInt64(bitPattern: Int64(Int8(bitPattern: byte)))
        }
        return UInt32(truncatingIfNeeded: hash)
    }

    static func fnv1a32(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash ^= Self.signedChar(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    static func fnv132(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash = hash &* 16_777_619
            hash ^= Self.signedChar(byte)
        }
        return hash
    }

    /// CRC16-XMODEM computed in a 32-bit register whose bits above 16 are never cleared, as twemproxy does.
    static func crc16(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0
        for byte in key {
            crc = (crc << 8) ^ UInt32(CRC16.table[Int(((crc >> 8) ^ UInt32(byte)) & 0xFF)])
        }
        return crc
    }

    static func oneAtATime(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 0
        for byte in key {
            hash = hash &+ Self.signedChar(byte)
            hash = hash &+ (hash << 10)
            hash ^= hash >> 6
        }
        hash = hash &+ (hash << 3)
        hash ^= hash >> 11
        hash = hash &+ (hash << 15)
        return hash
    }

    /// Paul Hsieh's SuperFastHash, started from 0 rather than the length, as twemproxy does.
    static func hsieh(_ key: UnsafeRawBufferPointer) -> UInt32 {
        guard !key.isEmpty else { return 0 }
        func pair(_ offset: Int) -> UInt32 { UInt32(key[offset]) | UInt32(key[offset + 1]) << 8 }
        var hash: UInt32 = 0
        var offset = 0
        for _ in 0..<(key.count >> 2) {
            hash = hash &+ pair(offset)
            let mixed = (pair(offset + 2) << 11) ^ hash
            hash = (hash << 16) ^ mixed
            offset += 4
            hash = hash &+ (hash >> 11)
        }
        switch key.count & 3 {
        case 3:
            hash = hash &+ pair(offset)
            hash ^= hash << 16
            hash ^= Self.signedChar(key[offset + 2]) << 18
            hash = hash &+ (hash >> 11)
        case 2:
            hash = hash &+ pair(offset)
            hash ^= hash << 11
            hash = hash &+ (hash >> 17)
        case 1:
            hash = hash &+ UInt32(key[offset])
            hash ^= hash << 10
            hash = hash &+ (hash >> 1)
        default:
            break
        }
        hash ^= hash << 3
        hash = hash &+ (hash >> 5)
        hash ^= hash << 4
        hash = hash &+ (hash >> 17)
        hash ^= hash << 25
        hash = hash &+ (hash >> 6)
        return hash
    }

    /// MurmurHash2 (little-endian reads) seeded with `0xdeadbeef * length`, as twemproxy seeds it.
    static func murmur(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let length = UInt32(truncatingIfNeeded: key.count)
        return Self.murmur2(key, seed: 0xDEAD_BEEF &* length)
    }

    static func murmur2(_ key: UnsafeRawBufferPointer, seed: UInt32) -> UInt32 {
        let multiplier: UInt32 = 0x5BD1_E995
        var hash = seed ^ UInt32(truncatingIfNeeded: key.count)
        var offset = 0
        while key.count - offset >= 4 {
            var word = Self.littleEndianWord(key, offset, count: 4)
            word = word &* multiplier
            word ^= word >> 24
            word = word &* multiplier
            hash = hash &* multiplier
            hash ^= word
            offset += 4
        }
        let remaining = key.count - offset
        if remaining > 0 {
            hash ^= Self.littleEndianWord(key, offset, count: remaining)
            hash = hash &* multiplier
        }
        hash ^= hash >> 13
        hash = hash &* multiplier
        hash ^= hash >> 15
        return hash
    }

    /// Bob Jenkins' lookup3 `hashlittle`; twemproxy's `jenkins` uses an initial value of 13.
    static func lookup3(_ key: UnsafeRawBufferPointer, initialValue: UInt32) -> UInt32 {
        var a = 0xDEAD_BEEF &+ UInt32(truncatingIfNeeded: key.count) &+ initialValue
        var b = a
        var c = a
        var offset = 0
        var remaining = key.count
        while remaining > 12 {
            a = a &+ Self.littleEndianWord(key, offset, count: 4)
            b = b &+ Self.littleEndianWord(key, offset + 4, count: 4)
            c = c &+ Self.littleEndianWord(key, offset + 8, count: 4)
            Self.lookup3Mix(&a, &b, &c)
            offset += 12
            remaining -= 12
        }
        guard remaining > 0 else { return c }
        a = a &+ Self.littleEndianWord(key, offset, count: min(remaining, 4))
        if remaining > 4 { b = b &+ Self.littleEndianWord(key, offset + 4, count: min(remaining - 4, 4)) }
        if remaining > 8 { c = c &+ Self.littleEndianWord(key, offset + 8, count: remaining - 8) }
        Self.lookup3Final(&a, &b, &c)
        return c
    }

    @inline(__always)
    private static func lookup3Mix(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        a = a &- c
        a ^= c.rotatedLeft(by: 4)
        c = c &+ b
        b = b &- a
        b ^= a.rotatedLeft(by: 6)
        a = a &+ c
        c = c &- b
        c ^= b.rotatedLeft(by: 8)
        b = b &+ a
        a = a &- c
        a ^= c.rotatedLeft(by: 16)
        c = c &+ b
        b = b &- a
        b ^= a.rotatedLeft(by: 19)
        a = a &+ c
        c = c &- b
        c ^= b.rotatedLeft(by: 4)
        b = b &+ a
    }

    @inline(__always)
    private static func lookup3Final(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        c ^= b
        c = c &- b.rotatedLeft(by: 14)
        a ^= c
        a = a &- c.rotatedLeft(by: 11)
        b ^= a
        b = b &- a.rotatedLeft(by: 25)
        c ^= b
        c = c &- b.rotatedLeft(by: 16)
        a ^= c
        a = a &- c.rotatedLeft(by: 4)
        b ^= a
        b = b &- a.rotatedLeft(by: 14)
        c ^= b
        c = c &- b.rotatedLeft(by: 24)
    }

    /// Up to four bytes from `offset`, little-endian, missing high bytes zero.
    @inline(__always)
    private static func littleEndianWord(_ key: UnsafeRawBufferPointer, _ offset: Int, count: Int) -> UInt32 {
        var word: UInt32 = 0
        for index in 0..<count {
            word |= UInt32(key[offset + index]) << UInt32(index * 8)
        }
        return word
    }
}
