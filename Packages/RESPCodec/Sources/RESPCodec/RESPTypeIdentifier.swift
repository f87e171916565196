/// The first byte of every RESP value, which names its type.
///
/// RESP2 has the first five; RESP3 (negotiated with `HELLO 3`) adds the rest.
///
/// ```swift
/// let type = RESPTypeIdentifier(rawValue: UInt8(ascii: "$"))
/// assert(type == .bulkString)
/// ```
public enum RESPTypeIdentifier: UInt8, Sendable, Hashable, CaseIterable {
    case simpleString = 0x2B  // +
    case simpleError = 0x2D  // -
    case integer = 0x3A  // :
    case bulkString = 0x24  // $
    case array = 0x2A  // *
    case null = 0x5F  // _
    case boolean = 0x23  // #
    case double = 0x2C  // ,
    case bigNumber = 0x28  // (
    case bulkError = 0x21  // !
    case verbatimString = 0x3D  // =
    case map = 0x25  // %
    case set = 0x7E  // ~
    case attribute = 0x7C  // |
    case push = 0x3E  // >

    /// Whether values of this type contain other values.
    public var isAggregate: Bool {
        switch self {
        case .array, .map, .set, .attribute, .push: true
        default: false
        }
    }

    /// Whether values of this type carry a length-prefixed payload.
    public var isBlob: Bool {
        switch self {
        case .bulkString, .bulkError, .verbatimString: true
        default: false
        }
    }

    /// Whether the type exists only in RESP3.
    public var isRESP3: Bool {
        switch self {
        case .simpleString, .simpleError, .integer, .bulkString, .array: false
        default: true
        }
    }
}
