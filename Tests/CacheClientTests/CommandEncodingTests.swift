import NIOCore
import RESPCodec
import Testing

@testable import CacheClient

/// The hot path writes stored values straight into the command; the bytes must equal the framed encoding.
@Suite struct CommandEncodingTests {
    @Test(arguments: [0, 1, 8, 9, 10, 99, 100, 5_000])
    func aHeaderAndPayloadAreOneBulkString(length: Int) {
        let payload = ByteBuffer(repeating: 0x61, count: length)
        for encoding in [ValueEncoding.raw, .zlib] {
            var direct = ByteBuffer()
            direct.writeRESPBulkString(header: encoding.headerByte, payload)
            var framed = ByteBuffer()
            framed.writeRESPBulkString(ValueFrame.framed(payload, encoding))
            #expect(direct == framed)
        }
    }

    @Test func setIsWrittenAsTheGenericEncoderWritesIt() {
        let value = ByteBuffer(string: "hello")
        let stored = ValueFrame.Encoded(bytes: value, encoding: .raw, attemptedCompression: false)
        let framed = ValueFrame.framed(value, .raw)
        for ttl in [nil, Duration.milliseconds(1_500)] {
            var direct = ByteBuffer()
            CacheClient.writeSet("user:1", stored, ttl: ttl, into: &direct)
            var expected = ByteBuffer()
            var arguments = [ByteBuffer(string: "SET"), ByteBuffer(string: "user:1"), framed]
            if ttl != nil { arguments += [ByteBuffer(string: "PX"), ByteBuffer(string: "1500")] }
            expected.writeRESPCommand(arguments)
            #expect(direct == expected)
        }
    }

    @Test func thePayloadIsTheEncodingWithoutItsHeader() throws {
        let compress: (ByteBuffer) throws -> ByteBuffer = ZlibCompression.compress
        let values = [
            ByteBuffer(string: "small"),
            ByteBuffer(string: String(repeating: "a", count: 4_096)),
            ByteBuffer(bytes: (0..<4_096).map { _ in UInt8.random(in: 0...255) }),
        ]
        for value in values {
            for threshold in [nil, 1_024] {
                let payload = try ValueFrame.payload(of: value, threshold: threshold, compress: compress)
                let encoded = try ValueFrame.encode(value, threshold: threshold, compress: compress)
                #expect(ValueFrame.framed(payload.bytes, payload.encoding) == encoded.bytes)
                #expect(payload.encoding == encoded.encoding)
                #expect(payload.attemptedCompression == encoded.attemptedCompression)
            }
        }
    }
}
