import NIOCore
import RESPCodec

extension ByteBuffer {
    /// A two-argument command, written without building an array.
    mutating func writeRESPCommand2(_ name: String, _ key: String) {
        self.writeRESPArrayHeader(count: 2)
        self.writeRESPBulkString(name)
        self.writeRESPBulkString(key)
    }

    /// A stored value as one bulk string: `header`, then `payload`. Writing the header byte here saves copying
    /// the value into a framed buffer first.
    mutating func writeRESPBulkString(header: UInt8, _ payload: ByteBuffer) {
        // The aggregate header writer writes any `<type><length>\r\n` line, here a bulk string's.
        self.writeRESPArrayHeader(count: payload.readableBytes + 1, type: .bulkString)
        self.writeInteger(header)
        self.writeImmutableBuffer(payload)
        self.writeStaticString("\r\n")
    }
}
