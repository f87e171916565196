import NIOCore

/// A RESP2 or RESP3 value, owned and fully decoded.
///
/// Use it to build replies and commands, and in tests. On hot paths prefer ``RESPToken``, which keeps the wire
/// bytes and decodes lazily. RESP2's two nulls (`$-1`, `*-1`) are kept apart from RESP3's `_` so that every
/// value survives an encode–parse round trip byte for byte.
///
/// ```swift
/// let reply: RESPValue = .array([.bulkString(ByteBuffer(string: "a")), .integer(1), .null])
/// var buffer = ByteBuffer()
/// buffer.writeRESPValue(reply)
/// ```
public enum RESPValue: Hashable, Sendable {
    /// `+OK\r\n`
    case simpleString(ByteBuffer)
    /// `-ERR message\r\n`
    case simpleError(ByteBuffer)
    /// `:42\r\n`
    case integer(Int64)
    /// `$3\r\nfoo\r\n`, or RESP2's null bulk string `$-1\r\n` when `nil`.
    case bulkString(ByteBuffer?)
    /// `*2\r\n...`, or RESP2's null array `*-1\r\n` when `nil`.
    case array([RESPValue]?)
    /// RESP3's null, `_\r\n`.
    case null
    /// `#t\r\n` or `#f\r\n`
    case boolean(Bool)
    /// `,3.14\r\n`, also `inf`, `-inf` and `nan`.
    case double(Double)
    /// `(3492890328409238509324850943850943825024385\r\n`, kept as its decimal digits.
    case bigNumber(ByteBuffer)
    /// `!21\r\nSYNTAX invalid syntax\r\n`
    case bulkError(ByteBuffer)
    /// `=15\r\ntxt:Some string\r\n`: the payload includes the three-letter format and the colon.
    case verbatimString(ByteBuffer)
    /// `%2\r\n...`: key–value pairs in wire order (duplicates are kept).
    case map([MapEntry])
    /// `~3\r\n...`
    case set([RESPValue])
    /// `|1\r\n...` followed by the value the attributes describe.
    indirect case attribute([MapEntry], RESPValue)
    /// `>3\r\nmessage\r\n...`: out-of-band data such as pub/sub messages.
    case push([RESPValue])
}

extension RESPValue {
    /// The type byte this value is written with.
    public var typeIdentifier: RESPTypeIdentifier {
        switch self {
        case .simpleString: .simpleString
        case .simpleError: .simpleError
        case .integer: .integer
        case .bulkString: .bulkString
        case .array: .array
        case .null: .null
        case .boolean: .boolean
        case .double: .double
        case .bigNumber: .bigNumber
        case .bulkError: .bulkError
        case .verbatimString: .verbatimString
        case .map: .map
        case .set: .set
        case .attribute: .attribute
        case .push: .push
        }
    }

    /// A bulk string holding the UTF-8 bytes of `string`.
    public static func bulkString(_ string: String) -> RESPValue {
        .bulkString(ByteBuffer(string: string))
    }

    /// A simple string; `string` must not contain CR or LF.
    public static func simpleString(_ string: String) -> RESPValue {
        .simpleString(ByteBuffer(string: string))
    }

    /// An error reply such as `ERR unknown command`; `message` must not contain CR or LF.
    public static func simpleError(_ message: String) -> RESPValue {
        .simpleError(ByteBuffer(string: message))
    }
}
