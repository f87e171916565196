import NIOCore

/// A key as `prefix` followed by a decimal number, written without allocating a string.
struct KeyName: Sendable {
    let prefix: [UInt8]
    let number: Int64

    var byteCount: Int { self.prefix.count + self.number.decimalDigitCount }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeBytes(self.prefix)
        buffer.writeDecimal(self.number)
    }

    var string: String { String(decoding: self.prefix, as: UTF8.self) + String(self.number) }
}
