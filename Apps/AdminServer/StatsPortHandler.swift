import NIOCore

/// Writes one stats document, newline-terminated like nutcracker's, then closes.
final class StatsPortHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let statsJSON: @Sendable () async -> String

    init(statsJSON: @escaping @Sendable () async -> String) {
        self.statsJSON = statsJSON
    }

    func channelActive(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: String.self)
        promise.completeWithTask(self.statsJSON)
        promise.futureResult.assumeIsolated().whenSuccess { json in
            var buffer = context.channel.allocator.buffer(capacity: json.utf8.count + 1)
            buffer.writeString(json)
            if !json.hasSuffix("\n") {
                buffer.writeString("\n")
            }
            context.writeAndFlush(Self.wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Like nutcracker, the port takes no commands; reading keeps unread input from turning the close into a reset.
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
