import NIOCore
import RESPCodec

extension ByteBuffer {
    /// A two-argument command, written without building an array.
    mutating func writeRESPCommand2(_ name: String, _ key: String) {
        self.writeRESPArrayHeader(count: 2)
        self.writeRESPBulkString(name)
        self.writeRESPBulkString(key)
    }
}
