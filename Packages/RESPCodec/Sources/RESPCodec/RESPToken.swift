import NIOCore

/// One complete, validated RESP frame: a slice of the bytes it arrived in.
///
/// The parser validates a frame once; a token then reads its value lazily from the slice. Forward
/// ``base`` unchanged to relay the frame, or read ``value`` to look inside. Neither copies the payload.
///
/// ```swift
/// var parser = RESPParser(mode: .request)
/// var buffer = ByteBuffer(string: "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
/// let token = try parser.next(&buffer)!
/// if case .array(let arguments) = token.value {
///     print(arguments.count)  // 2
/// }
/// ```
public struct RESPToken: Hashable, Sendable {
    /// The frame's wire bytes, exactly as they arrived (inline commands excepted: see ``RESPParser``).
    public let base: ByteBuffer

    init(validated base: ByteBuffer) {
        self.base = base
    }

    /// Parses exactly one complete frame from `bytes`, in reply mode. Returns `nil` if the frame is incomplete.
    ///
    /// - Throws: ``RESPParsingError`` when the bytes are malformed, or hold more than one frame.
    public init?(validating bytes: ByteBuffer, limits: RESPParser.Limits = .init()) throws(RESPParsingError) {
        var parser = RESPParser(mode: .reply, limits: limits)
        var remaining = bytes
        guard let token = try parser.next(&remaining) else { return nil }
        guard remaining.readableBytes == 0 else { throw RESPParsingError(.missingCRLF) }
        self = token
    }

    /// Encodes `value` and wraps the bytes.
    public init(_ value: RESPValue) {
        var buffer = ByteBuffer()
        buffer.writeRESPValue(value)
        self.base = buffer
    }

    /// The frame's type.
    public var typeIdentifier: RESPTypeIdentifier {
        RESPTypeIdentifier(rawValue: self.base.getInteger(at: self.base.readerIndex, as: UInt8.self)!)!
    }
}
