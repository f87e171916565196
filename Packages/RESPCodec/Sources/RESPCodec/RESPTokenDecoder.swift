import NIOCore

/// A NIO decoder that turns inbound bytes into ``RESPToken``s.
///
/// ```swift
/// try channel.pipeline.syncOperations.addHandler(
///     ByteToMessageHandler(RESPTokenDecoder(mode: .reply))
/// )
/// ```
public struct RESPTokenDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPToken

    private var parser: RESPParser

    /// Creates a decoder for one side of the conversation.
    public init(mode: RESPParser.Mode, limits: RESPParser.Limits = .init()) {
        self.parser = RESPParser(mode: mode, limits: limits)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPToken? {
        try self.parser.next(&buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPToken? {
        try self.decode(buffer: &buffer)
    }
}
