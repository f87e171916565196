/// Why a RESP stream could not be parsed.
///
/// The ``description`` is the text Redis itself replies with where Redis has one (for example
/// `Protocol error: invalid bulk length`), so a proxy can forward it as `-ERR <description>` and a client cannot
/// tell the difference. After any parsing error the stream is out of sync: close the connection.
///
/// ```swift
/// do {
///     _ = try parser.next(&buffer)
/// } catch {
///     reply("-ERR \(error)")  // -ERR Protocol error: invalid bulk length
/// }
/// ```
public struct RESPParsingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in a form code can switch on.
    public enum Code: Hashable, Sendable {
        /// A bulk, verbatim or bulk error length is not a number, negative, or above ``RESPParser/Limits/maximumBulkLength``.
        case invalidBulkLength
        /// An aggregate count is not a number or above ``RESPParser/Limits/maximumAggregateCount``.
        case invalidAggregateCount
        /// Aggregates are nested deeper than ``RESPParser/Limits/maximumNestingDepth``.
        case nestingTooDeep
        /// An inline command is longer than ``RESPParser/Limits/maximumInlineLength``.
        case inlineRequestTooBig
        /// An inline command has an unterminated quote, or a closing quote not followed by a space.
        case unbalancedQuotes
        /// An aggregate's count line is longer than ``RESPParser/Limits/maximumInlineLength``.
        case aggregateHeaderTooBig
        /// A bulk string's length line (or, in replies, any line) is too long.
        case bulkHeaderTooBig
        /// A request element is not a bulk string.
        case unexpectedRequestElement(UInt8)
        /// The type byte is not one RESP defines.
        case unknownType(UInt8)
        /// A line does not end in CRLF, or a payload is not followed by CRLF.
        case missingCRLF
        /// An integer, double, boolean, big number, null or verbatim string is malformed.
        case invalidValue(RESPTypeIdentifier)
    }

    /// What went wrong.
    public let code: Code

    /// Creates an error.
    public init(_ code: Code) {
        self.code = code
    }

    public var description: String {
        switch self.code {
        case .invalidBulkLength: "Protocol error: invalid bulk length"
        case .invalidAggregateCount: "Protocol error: invalid multibulk length"
        case .nestingTooDeep: "Protocol error: too many nested aggregates"
        case .inlineRequestTooBig: "Protocol error: too big inline request"
        case .unbalancedQuotes: "Protocol error: unbalanced quotes in request"
        case .aggregateHeaderTooBig: "Protocol error: too big mbulk count string"
        case .bulkHeaderTooBig: "Protocol error: too big bulk count string"
        case .unexpectedRequestElement(let byte): "Protocol error: expected '$', got '\(Self.printable(byte))'"
        case .unknownType(let byte): "Protocol error: unknown type byte '\(Self.printable(byte))'"
        case .missingCRLF: "Protocol error: expected CRLF"
        case .invalidValue(let type): "Protocol error: invalid \(Self.name(of: type))"
        }
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private static func name(of type: RESPTypeIdentifier) -> String {
        switch type {
        case .integer: "integer"
        case .double: "double"
        case .boolean: "boolean"
        case .bigNumber: "big number"
        case .null: "null"
        case .verbatimString: "verbatim string"
        default: "value"
        }
    }
}
