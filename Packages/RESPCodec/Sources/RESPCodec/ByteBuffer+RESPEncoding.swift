import NIOCore

extension ByteBuffer {
    /// Writes a command as an array of bulk strings, the form Redis expects from clients.
    ///
    /// ```swift
    /// var buffer = ByteBuffer()
    /// buffer.writeRESPCommand("SET", "greeting", "hello")
    /// // *3\r\n$3\r\nSET\r\n$8\r\ngreeting\r\n$5\r\nhello\r\n
    /// ```
    @discardableResult
    public mutating func writeRESPCommand(_ arguments: String...) -> Int {
        self.writeRESPCommand(arguments)
    }

    /// Writes a command as an array of bulk strings.
    @discardableResult
    public mutating func writeRESPCommand(_ arguments: [String]) -> Int {
        var written = self.writeRESPArrayHeader(count: arguments.count)
        for argument in arguments {
            written += self.writeRESPBulkString(argument)
        }
        return written
    }

    /// Writes a command whose arguments are already bytes, without copying them more than once.
    @discardableResult
    public mutating func writeRESPCommand(_ arguments: [ByteBuffer]) -> Int {
        var written = self.writeRESPArrayHeader(count: arguments.count)
        for argument in arguments {
            written += self.writeRESPBulkString(argument)
        }
        return written
    }

    /// Writes an aggregate header such as `*3\r\n`.
    @discardableResult
    public mutating func writeRESPArrayHeader(count: Int, type: RESPTypeIdentifier = .array) -> Int {
        self.writeRESPLine(type: type, integer: Int64(count))
    }

    /// Writes `string` as a bulk string.
    @discardableResult
    public mutating func writeRESPBulkString(_ string: String) -> Int {
        let length = string.utf8.count
        let header = self.writeRESPLine(type: .bulkString, integer: Int64(length))
        self.writeString(string)
        self.writeRESPCRLF()
        return header + length + 2
    }

    /// Writes `bytes` as a bulk string.
    @discardableResult
    public mutating func writeRESPBulkString(_ bytes: some Collection<UInt8>) -> Int {
        let header = self.writeRESPLine(type: .bulkString, integer: Int64(bytes.count))
        let body = self.writeBytes(bytes)
        self.writeRESPCRLF()
        return header + body + 2
    }

    /// Writes the readable bytes of `buffer` as a bulk string.
    @discardableResult
    public mutating func writeRESPBulkString(_ buffer: ByteBuffer) -> Int {
        self.writeRESPBlob(type: .bulkString, buffer)
    }

    /// Writes any value in its wire form.
    ///
    /// ```swift
    /// var buffer = ByteBuffer()
    /// buffer.writeRESPValue(.map([.init(key: .simpleString("proto"), value: .integer(3))]))
    /// ```
    @discardableResult
    public mutating func writeRESPValue(_ value: RESPValue) -> Int {
        let start = self.writerIndex
        switch value {
        case .simpleString(let text):
            self.writeInteger(RESPTypeIdentifier.simpleString.rawValue)
            self.writeImmutableBuffer(text)
            self.writeRESPCRLF()
        case .simpleError(let text):
            self.writeInteger(RESPTypeIdentifier.simpleError.rawValue)
            self.writeImmutableBuffer(text)
            self.writeRESPCRLF()
        case .integer(let number):
            self.writeRESPLine(type: .integer, integer: number)
        case .bulkString(let bytes?):
            self.writeRESPBlob(type: .bulkString, bytes)
        case .bulkString(nil):
            self.writeStaticString("$-1\r\n")
        case .array(let elements?):
            self.writeRESPArrayHeader(count: elements.count)
            for element in elements { self.writeRESPValue(element) }
        case .array(nil):
            self.writeStaticString("*-1\r\n")
        case .null:
            self.writeStaticString("_\r\n")
        case .boolean(let flag):
            self.writeStaticString(flag ? "#t\r\n" : "#f\r\n")
        case .double(let number):
            self.writeInteger(RESPTypeIdentifier.double.rawValue)
            self.writeString(Self.respText(of: number))
            self.writeRESPCRLF()
        case .bigNumber(let digits):
            self.writeInteger(RESPTypeIdentifier.bigNumber.rawValue)
            self.writeImmutableBuffer(digits)
            self.writeRESPCRLF()
        case .bulkError(let bytes):
            self.writeRESPBlob(type: .bulkError, bytes)
        case .verbatimString(let bytes):
            self.writeRESPBlob(type: .verbatimString, bytes)
        case .map(let entries):
            self.writeRESPArrayHeader(count: entries.count, type: .map)
            for entry in entries {
                self.writeRESPValue(entry.key)
                self.writeRESPValue(entry.value)
            }
        case .set(let elements):
            self.writeRESPArrayHeader(count: elements.count, type: .set)
            for element in elements { self.writeRESPValue(element) }
        case .attribute(let entries, let described):
            self.writeRESPArrayHeader(count: entries.count, type: .attribute)
            for entry in entries {
                self.writeRESPValue(entry.key)
                self.writeRESPValue(entry.value)
            }
            self.writeRESPValue(described)
        case .push(let elements):
            self.writeRESPArrayHeader(count: elements.count, type: .push)
            for element in elements { self.writeRESPValue(element) }
        }
        return self.writerIndex - start
    }

    // MARK: - Pieces

    @discardableResult
    mutating func writeRESPBlob(type: RESPTypeIdentifier, _ bytes: ByteBuffer) -> Int {
        let header = self.writeRESPLine(type: type, integer: Int64(bytes.readableBytes))
        let body = self.writeImmutableBuffer(bytes)
        self.writeRESPCRLF()
        return header + body + 2
    }

    @inline(__always)
    mutating func writeRESPCRLF() {
        self.writeInteger(UInt16(0x0D0A), endianness: .big)
    }

    /// Writes `<type><decimal>\r\n` without going through `String`.
    @discardableResult
    mutating func writeRESPLine(type: RESPTypeIdentifier, integer: Int64) -> Int {
        self.writeWithUnsafeMutableBytes(minimumWritableBytes: 24) { destination in
            destination[0] = type.rawValue
            var index = 1
            var magnitude = integer.magnitude
            if integer < 0 {
                destination[index] = UInt8(ascii: "-")
                index += 1
            }
            var digits = 1
            var probe = magnitude
            while probe >= 10 {
                probe /= 10
                digits += 1
            }
            var position = index + digits - 1
            repeat {
                destination[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                position -= 1
            } while magnitude > 0
            index += digits
            destination[index] = 0x0D
            destination[index + 1] = 0x0A
            return index + 2
        }
    }

    static func respText(of number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }
}
