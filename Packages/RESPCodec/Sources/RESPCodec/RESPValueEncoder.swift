import NIOCore

/// A NIO encoder that writes outbound ``RESPValue``s in their wire form.
///
/// ```swift
/// try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(RESPValueEncoder()))
/// channel.writeAndFlush(RESPValue.array([.bulkString("PING")]), promise: nil)
/// ```
public struct RESPValueEncoder: MessageToByteEncoder {
    public typealias OutboundIn = RESPValue

    /// Creates an encoder.
    public init() {}

    public func encode(data: RESPValue, out: inout ByteBuffer) throws {
        out.writeRESPValue(data)
    }
}
