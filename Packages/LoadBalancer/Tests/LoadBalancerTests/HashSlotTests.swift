import Testing

@testable import LoadBalancer

@Suite struct HashSlotTests {
    @Test func crc16MatchesTheXmodemCheckValue() {
        #expect(CRC16.xmodem(Array("123456789".utf8)) == 0x31C3)
        #expect(CRC16.xmodem([UInt8]()) == 0)
    }

    // Slots as `CLUSTER KEYSLOT` reports them on Redis 7.
    @Test(arguments: [("foo", 12182), ("bar", 5061), ("hello", 866), ("", 0), ("somekey", 11058)])
    func slotsMatchRedis(key: String, slot: Int) {
        #expect(HashSlot(key: Array(key.utf8)).rawValue == UInt16(slot))
    }

    @Test func hashTagsSelectTheHashedPart() {
        let tagged = HashSlot(key: Array("{user1000}.following".utf8))
        #expect(tagged == HashSlot(key: Array("user1000".utf8)))
        #expect(HashSlot(key: Array("foo{}{bar}".utf8)) == HashSlot(key: Array("foo{}{bar}".utf8)))
        #expect(String(decoding: HashSlot.hashedPart(of: Array("foo{}{bar}".utf8)), as: UTF8.self) == "foo{}{bar}")
        #expect(String(decoding: HashSlot.hashedPart(of: Array("foo{{bar}}zap".utf8)), as: UTF8.self) == "{bar")
        #expect(String(decoding: HashSlot.hashedPart(of: Array("foo{bar}{zap}".utf8)), as: UTF8.self) == "bar")
        #expect(String(decoding: HashSlot.hashedPart(of: Array("no{close".utf8)), as: UTF8.self) == "no{close")
    }

    @Test func rawValueIsRangeChecked() {
        #expect(HashSlot(rawValue: 16383) != nil)
        #expect(HashSlot(rawValue: 16384) == nil)
        #expect(HashSlot(rawValue: -1) == nil)
    }

    @Test func rawBytesAndAnyCollectionGiveTheSameSlot() {
        for key in ["foo", "{user1000}.following", "", "foo{}{bar}"] {
            let bytes = Array(key.utf8)
            let raw = bytes.withUnsafeBytes { HashSlot(keyBytes: $0) }
            #expect(raw == HashSlot(key: bytes))
            #expect(HashSlot(key: bytes.lazy.map { $0 }) == HashSlot(key: bytes))
        }
    }
}
