import NIOCore
import RESPCodec

/// Answers requests as told; on a quiesce request it says goodbye but leaves the connection open.
final class ScriptedReplyHandler: ChannelInboundHandler {
    typealias InboundIn = RESPToken
    typealias OutboundOut = ByteBuffer

    static let goodbye = "-SHUTDOWN proxy is closing\r\n"

    private let greeting: String?
    private let reply: @Sendable (RESPValue) -> String

    init(greeting: String?, reply: @escaping @Sendable (RESPValue) -> String) {
        self.greeting = greeting
        self.reply = reply
    }

    func channelActive(context: ChannelHandlerContext) {
        if let greeting = self.greeting {
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: greeting)), promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = RESPValue(self.unwrapInboundIn(data))
        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: self.reply(request))), promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: Self.goodbye)), promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
