import NIOCore
import Testing

@testable import RESPCodec

@Suite struct ByteBufferRESPEncodingTests {
    @Test func commandsAreArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        let written = buffer.writeRESPCommand("SET", "greeting", "héllo")
        let expected = "*3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$6\r\nhéllo\r\n"
        #expect(String(buffer: buffer) == expected)
        #expect(written == expected.utf8.count)
    }

    @Test func byteArgumentsAreWrittenAsIs() {
        var buffer = ByteBuffer()
        buffer.writeRESPCommand([ByteBuffer(string: "GET"), ByteBuffer(bytes: [0, 13, 10, 255])])
        #expect(Array(buffer.readableBytesView) == Array("*2\r\n$3\r\nGET\r\n$4\r\n".utf8) + [0, 13, 10, 255, 13, 10])
    }

    @Test(arguments: [Int64.min, -1_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100, 12345, Int64.max])
    func integersAreDecimal(number: Int64) {
        var buffer = ByteBuffer()
        let written = buffer.writeRESPValue(.integer(number))
        #expect(String(buffer: buffer) == ":\(number)\r\n")
        #expect(written == buffer.readableBytes)
    }

    @Test func reusedBufferKeepsItsCapacity() {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(4096)
        let capacity = buffer.capacity
        for _ in 0..<100 {
            buffer.clear()
            buffer.writeRESPCommand("GET", "key:000001")
        }
        #expect(buffer.capacity == capacity)
    }
}
