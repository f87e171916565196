import Testing

@testable import LoadBalancer

@Suite struct TwemproxyHashTests {
    static func hash(_ function: TwemproxyHash, _ key: String) -> UInt32 {
        function.hash(Array(key.utf8))
    }

    // Published vectors of the standard algorithms that twemproxy's functions are built on.
    @Test func standardAlgorithmsMatchPublishedVectors() {
        #expect(Self.hash(.fnv1a32, "a") == 0xE40C_292C)
        #expect(Self.hash(.fnv1a32, "foobar") == 0xBF9C_F968)
        #expect(Self.hash(.fnv132, "a") == 0x050C_5D7E)
        #expect(Self.hash(.fnv132, "foobar") == 0x31F0_B262)
        // FNV-1 64 of "a" is 0xaf63bd4c8601b7be and of "foobar" 0x340d8765a4dda9c2; twemproxy keeps the low half.
        #expect(Self.hash(.fnv164, "a") == 0x8601_B7BE)
        #expect(Self.hash(.fnv164, "foobar") == 0xA4DD_A9C2)
        #expect(Self.hash(.oneAtATime, "a") == 0xCA2E_9442)
        #expect(Self.hash(.oneAtATime, "The quick brown fox jumps over the lazy dog") == 0x519E_91F5)
        #expect(Self.hash(.crc32a, "123456789") == 0xCBF4_3926)
        #expect(CRC32.ieee(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        // md5 is the first four digest bytes, little-endian: d41d8cd9... for the empty string.
        #expect(Self.hash(.md5, "") == 0xD98C_1DD4)
        #expect(Self.hash(.md5, "abc") == 0x9850_0190)
    }

    @Test func jenkinsIsLookup3HashlittleWithInitialValue13() {
        let fourScore = Array("Four score and seven years ago".utf8)
        fourScore.withUnsafeBytes { bytes in
            #expect(TwemproxyHash.lookup3(bytes, initialValue: 0) == 0x1777_0551)
            #expect(TwemproxyHash.lookup3(bytes, initialValue: 1) == 0xCD62_8161)
            #expect(TwemproxyHash.lookup3(bytes, initialValue: 13) == TwemproxyHash.jenkins.hash(bytes: bytes))
        }
        [UInt8]().withUnsafeBytes { empty in
            #expect(TwemproxyHash.lookup3(empty, initialValue: 0) == 0xDEAD_BEEF)
            #expect(TwemproxyHash.lookup3(empty, initialValue: 0xDEAD_BEEF) == 0xBD5B_7DDE)
        }
    }

    // twemproxy's own quirks: truncated FNV-64 constants, 15-bit crc32, unmasked crc16, seeded murmur, hsieh from 0.
    // Expected values come from an independent Python port of twemproxy 0.5.0's hashkit.
    @Test(
        arguments: [
            ("a", 0x8601_EC8C, 0x4B41_757C, 0x9364_2E87),
            ("foobar", 0xF739_67E8, 0xABEC_FF17, 0x07A5_862C),
            ("123456789", 0x23C6_CDFC, 0xB776_0690, 0xE4FC_1670),
            ("hello world!", 0xCD5A_2672, 0x7F8C_FCAD, 0x1372_4F63),
            ("The quick brown fox jumps over the lazy dog", 0xE7E4_7110, 0x30C7_9125, 0x1C19_EE97),
        ] as [(String, UInt32, UInt32, UInt32)]
    )
    func twemproxySpecificFunctions(key: String, fnv1a64: UInt32, murmur: UInt32, hsieh: UInt32) {
        #expect(Self.hash(.fnv1a64, key) == fnv1a64)
        #expect(Self.hash(.murmur, key) == murmur)
        #expect(Self.hash(.hsieh, key) == hsieh)
    }

    @Test func crc32KeepsFifteenBitsOfTheStandardChecksum() {
        #expect(Self.hash(.crc32, "123456789") == 0x4BF4)
        for key in ["a", "user:1", "hello world!"] {
            #expect(Self.hash(.crc32, key) == (CRC32.ieee(Array(key.utf8)) >> 16) & 0x7FFF)
        }
    }

    @Test func crc16IsXmodemInAnUnmaskedRegister() {
        #expect(Self.hash(.crc16, "A") == UInt32(CRC16.xmodem(Array("A".utf8))))
        let long = Self.hash(.crc16, "123456789")
        #expect(long & 0xFFFF == 0x31C3)
        #expect(long > 0xFFFF)
    }

    // Bytes above 0x7f are read through a signed char by the FNV, one-at-a-time and hsieh functions.
    @Test func highBytesAreSignExtendedLikeTwemproxy() {
        let key: [UInt8] = [0xE9, 0x74, 0xE9]
        #expect(TwemproxyHash.fnv1a64.hash(key) == 0xB528_1FFB)
        #expect(TwemproxyHash.fnv1a32.hash(key) == 0xFB67_177B)
        #expect(TwemproxyHash.fnv132.hash(key) == 0x387C_FFEB)
        #expect(TwemproxyHash.fnv164.hash(key) == 0x6BD2_A1AB)
        #expect(TwemproxyHash.oneAtATime.hash(key) == 0x8C71_1B75)
        #expect(TwemproxyHash.hsieh.hash(key) == 0x3A49_9135)
        #expect(TwemproxyHash.murmur.hash(key) == 0xF776_2CFF)
    }

    @Test func configNamesRoundTrip() {
        #expect(TwemproxyHash.allCases.count == 12)
        for function in TwemproxyHash.allCases {
            #expect(TwemproxyHash(configName: function.configName) == function)
        }
        #expect(TwemproxyHash(configName: "one_at_a_time") == .oneAtATime)
        #expect(TwemproxyHash(configName: "sha1") == nil)
    }

    @Test func nonContiguousKeysHashLikeArrays() {
        let key = Array("user:42".utf8)
        for function in TwemproxyHash.allCases {
            #expect(function.hash(key.lazy.map { $0 }) == function.hash(key))
        }
    }
}
