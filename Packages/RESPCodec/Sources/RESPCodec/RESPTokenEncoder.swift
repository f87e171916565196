import NIOCore

/// A NIO encoder that forwards ``RESPToken``s' wire bytes unchanged, as a proxy relays frames.
///
/// ```swift
/// try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(RESPTokenEncoder()))
/// ```
public struct RESPTokenEncoder: MessageToByteEncoder {
    public typealias OutboundIn = RESPToken

    /// Creates an encoder.
    public init() {}

    public func encode(data: RESPToken, out: inout ByteBuffer) throws {
        out.writeImmutableBuffer(data.base)
    }
}
