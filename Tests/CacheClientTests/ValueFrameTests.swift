import CacheClient
import NIOCore
import Testing

@Suite struct ValueFrameTests {
    static let compress: @Sendable (ByteBuffer) throws -> ByteBuffer = ZlibCompression.compress
    static let decompress: @Sendable (ByteBuffer) throws -> ByteBuffer = ZlibCompression.decompress

    @Test func smallValuesAreStoredRawBehindTheRawHeader() throws {
        let value = ByteBuffer(string: "hello")
        let encoded = try ValueFrame.encode(value, threshold: 1024, compress: Self.compress)
        #expect(encoded.encoding == .raw)
        #expect(!encoded.attemptedCompression)
        #expect(Array(encoded.bytes.readableBytesView) == [0x00] + Array("hello".utf8))
        let decoded = try ValueFrame.decode(encoded.bytes, decompress: Self.decompress)
        #expect(decoded.value == value)
        #expect(decoded.encoding == .raw)
    }

    @Test func valuesAtTheThresholdAreCompressed() throws {
        let below = ByteBuffer(string: String(repeating: "a", count: 1023))
        let at = ByteBuffer(string: String(repeating: "a", count: 1024))
        #expect(try ValueFrame.encode(below, threshold: 1024, compress: Self.compress).encoding == .raw)
        let encoded = try ValueFrame.encode(at, threshold: 1024, compress: Self.compress)
        #expect(encoded.encoding == .zlib)
        #expect(encoded.bytes.getInteger(at: 0, as: UInt8.self) == 0x01)
        #expect(encoded.bytes.readableBytes < 100)
        let decoded = try ValueFrame.decode(encoded.bytes, decompress: Self.decompress)
        #expect(decoded.value == at)
        #expect(decoded.encoding == .zlib)
    }

    @Test func incompressibleValuesStayRawEvenAboveTheThreshold() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = ByteBuffer(bytes: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let encoded = try ValueFrame.encode(noise, threshold: 1024, compress: Self.compress)
        #expect(encoded.attemptedCompression)
        #expect(encoded.encoding == .raw)
        #expect(try ValueFrame.decode(encoded.bytes, decompress: Self.decompress).value == noise)
    }

    @Test func aNilThresholdNeverCompresses() throws {
        let big = ByteBuffer(string: String(repeating: "b", count: 10_000))
        #expect(try ValueFrame.encode(big, threshold: nil, compress: Self.compress).encoding == .raw)
    }

    @Test func valuesWithoutAHeaderAreReturnedWhole() throws {
        for foreign in ["{\"a\":1}", "hello", "42", ""] {
            let decoded = try ValueFrame.decode(ByteBuffer(string: foreign), decompress: Self.decompress)
            #expect(decoded.value == ByteBuffer(string: foreign))
            #expect(decoded.encoding == nil)
        }
    }

    @Test func aCorruptCompressedValueThrows() {
        let corrupt = ByteBuffer(bytes: [0x01, 0xDE, 0xAD, 0xBE, 0xEF])
        #expect(throws: (any Error).self) { try ValueFrame.decode(corrupt, decompress: Self.decompress) }
    }

    @Test func headerBytesAreControlCharacters() {
        #expect(ValueEncoding.raw.headerByte == 0x00)
        #expect(ValueEncoding.zlib.headerByte == 0x01)
        for byte in UInt8(0x20)...UInt8(0x7E) { #expect(ValueEncoding(headerByte: byte) == nil) }
    }
}
