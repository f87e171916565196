import NIOCore

/// Tells a client it is one too many, in Redis's words, and hangs up.
final class MaxClientsRefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let message = "-ERR max number of clients reached\r\n"

    /// A client that never reads its refusal (or never finishes a TLS handshake) must not hold the socket forever.
    private let lingerLimit: TimeAmount
    private var hasRefused = false
    private var lingerTimer: Scheduled<Void>?

    init(lingerLimit: TimeAmount = .seconds(2)) {
        self.lingerLimit = lingerLimit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.refuse(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.refuse(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Whatever the client sent is not going to be answered.
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.lingerTimer?.cancel()
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !self.hasRefused else { return }
        self.hasRefused = true
        let channel = context.channel
        let buffer = channel.allocator.buffer(string: Self.message)
        context.writeAndFlush(self.wrapOutboundOut(buffer)).whenComplete { _ in
            channel.close(promise: nil)
        }
        self.lingerTimer = context.eventLoop.scheduleTask(in: self.lingerLimit) {
            channel.close(promise: nil)
        }
    }
}
