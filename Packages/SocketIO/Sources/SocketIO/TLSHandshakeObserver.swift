import NIOCore
import NIOTLS

/// Sits right behind the TLS handler and reports the end of the handshake, so that a connect fails with a clear
/// TLS error instead of an obscure one on the first request.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<Void>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var isFinished = false

    init(promise: EventLoopPromise<Void>, timeout: TimeAmount) {
        self.promise = promise
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.startTimer(context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.finish(.failure(SocketIOError(.tlsHandshakeFailed, "connection closed before the TLS handshake")))
    }

    func channelActive(context: ChannelHandlerContext) {
        self.startTimer(context: context)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? TLSUserEvent, case .handshakeCompleted = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        self.finish(.success(()))
        context.fireUserInboundEventTriggered(event)
        // Its work is done; later reads should not pay for an extra hop.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !self.isFinished {
            self.finish(
                .failure(SocketIOError(.tlsHandshakeFailed, "TLS handshake failed: \(error)", underlying: error))
            )
            context.close(promise: nil)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(.failure(SocketIOError(.tlsHandshakeFailed, "connection closed during the TLS handshake")))
        context.fireChannelInactive()
    }

    private func startTimer(context: ChannelHandlerContext) {
        guard self.timer == nil, !self.isFinished else { return }
        let timeout = self.timeout
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.finish(.failure(SocketIOError(.connectTimeout, "TLS handshake timed out after \(timeout)")))
            context.close(promise: nil)
        }
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !self.isFinished else { return }
        self.isFinished = true
        self.timer?.cancel()
        self.timer = nil
        self.promise.completeWith(result)
    }
}
