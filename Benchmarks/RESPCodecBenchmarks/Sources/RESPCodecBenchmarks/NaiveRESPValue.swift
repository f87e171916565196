import NIOCore

/// The baseline: decode every frame into an enum with arrays, as RediStack's `RESPTranslator` does.
/// Bulk strings are slices (as in RediStack); integers and lengths go through `String`.
indirect enum NaiveRESPValue {
    case simpleString(ByteBuffer)
    case error(String)
    case integer(Int)
    case bulkString(ByteBuffer?)
    case array([NaiveRESPValue])
    case null

    struct Malformed: Error {}

    /// Parses one value from the start of `buffer`, or returns `nil` (consuming nothing) when it is incomplete.
    static func parse(from buffer: inout ByteBuffer) throws -> NaiveRESPValue? {
        var copy = buffer
        guard let value = try Self.parseValue(&copy) else { return nil }
        buffer = copy
        return value
    }

    private static func readLine(_ buffer: inout ByteBuffer) -> String? {
        guard let crlf = buffer.readableBytesView.firstIndex(of: 0x0D),
            crlf + 1 < buffer.writerIndex
        else { return nil }
        let line = buffer.readString(length: crlf - buffer.readerIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private static func parseValue(_ buffer: inout ByteBuffer) throws -> NaiveRESPValue? {
        guard let type = buffer.readInteger(as: UInt8.self), let line = Self.readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(ByteBuffer(string: line))
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let number = Int(line) else { throw Malformed() }
            return .integer(number)
        case UInt8(ascii: "$"):
            guard let length = Int(line) else { throw Malformed() }
            if length < 0 { return .bulkString(nil) }
            guard let payload = buffer.readSlice(length: length), buffer.readableBytes >= 2 else { return nil }
            buffer.moveReaderIndex(forwardBy: 2)
            return .bulkString(payload)
        case UInt8(ascii: "*"):
            guard let count = Int(line) else { throw Malformed() }
            if count < 0 { return .null }
            var elements: [NaiveRESPValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                guard let element = try Self.parseValue(&buffer) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw Malformed()
        }
    }

    /// Encodes the way a naive client does: string interpolation for every header.
    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .simpleString(let text):
            buffer.writeString("+\(String(buffer: text))\r\n")
        case .error(let text):
            buffer.writeString("-\(text)\r\n")
        case .integer(let number):
            buffer.writeString(":\(number)\r\n")
        case .bulkString(let bytes?):
            buffer.writeString("$\(bytes.readableBytes)\r\n")
            buffer.writeImmutableBuffer(bytes)
            buffer.writeString("\r\n")
        case .bulkString(nil), .null:
            buffer.writeString("$-1\r\n")
        case .array(let elements):
            buffer.writeString("*\(elements.count)\r\n")
            for element in elements { element.write(to: &buffer) }
        }
    }
}
