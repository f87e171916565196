import Logging
import NIOCore
import NIOHTTP1

/// Answers admin requests from ``AdminRoutes``; runs each route's handler off the event loop and hops back to
/// write its response.
final class AdminHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: AdminRoutes
    private let tracker: ConnectionTracker
    private let logger: Logger
    private var state = AdminConnectionStateMachine()
    private var request: HTTPRequestHead?

    init(routes: AdminRoutes, tracker: ConnectionTracker, logger: Logger) {
        self.routes = routes
        self.tracker = tracker
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.request = head
            self.state.receivedHead(keepAlive: head.isKeepAlive)
        case .body:
            break
        case .end:
            guard self.state.receivedEnd(), let head = self.request else { return }
            self.answer(head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if self.state.idleTimeout() == .close {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state.channelInactive()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parse error has already been answered with 400 by NIOHTTP1's error handler.
        self.logger.debug("admin connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        switch self.routes.resolve(method: head.method, uri: head.uri) {
        case .handler(let handler):
            let promise = context.eventLoop.makePromise(of: AdminResponse.self)
            promise.completeWithTask { await handler() }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.write(response, for: head, context: context)
            }
        case .notFound:
            self.write(.text("not found\n", status: .notFound), for: head, context: context)
        case .methodNotAllowed:
            var response = AdminResponse.text("method not allowed\n", status: .methodNotAllowed)
            response.headers.replaceOrAdd(name: "allow", value: AdminRoutes.allowedMethods)
            self.write(response, for: head, context: context)
        }
    }

    private func write(_ response: AdminResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .write(let keepAlive) = self.state.responseReady(serverClosing: self.tracker.isClosing) else {
            return
        }
        var headers = response.headers
        headers.replaceOrAdd(name: "content-type", value: response.contentType)
        headers.replaceOrAdd(name: "content-length", value: String(response.body.readableBytes))
        if !keepAlive {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if request.version == .http1_0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        let written = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
