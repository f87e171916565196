import Logging
import NIOCore
import RESPCodec

/// Matches replies to requests in FIFO order, enforces request deadlines, and fails everything still pending the
/// moment the connection goes down. Runs only on its channel's event loop.
final class RESPConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPToken
    typealias OutboundIn = RESPOutboundRequest
    typealias OutboundOut = ByteBuffer

    private var pending = CircularBuffer<PendingReply>(initialCapacity: 64)
    /// Set once the connection is going down; every later request fails with it.
    private var failure: SocketIOError?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var isFlushScheduled = false
    private var context: ChannelHandlerContext?
    private let status: RESPConnectionStatus
    private let onPush: (@Sendable (RESPToken) -> Void)?
    private let logger: Logger

    init(status: RESPConnectionStatus, onPush: (@Sendable (RESPToken) -> Void)?, logger: Logger) {
        self.status = status
        self.onPush = onPush
        self.logger = logger
    }

    // MARK: - Outbound

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The context refers to the handler: keeping it after removal would keep both alive.
        self.context = nil
        // Nothing could answer a request still pending now, and an awaiting task must never be left suspended.
        self.shutDown(with: SocketIOError(.connectionClosed, "connection closed"))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.accept(self.unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// Takes a request from ``RESPConnection`` on the event loop, without passing it through the pipeline: that
    /// would box it in an `NIOAny`, cast it back, and need a promise to learn that a closed channel dropped it.
    func enqueue(_ request: RESPOutboundRequest) {
        guard let context = self.context else {
            request.reply.fail(self.failure ?? SocketIOError(.connectionClosed, "connection closed"))
            return
        }
        self.accept(request, context: context, promise: nil)
        self.flush(context: context)
    }

    private func accept(
        _ request: RESPOutboundRequest,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        if let failure = self.failure {
            request.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        let deadline = request.timeout.map { context.eventLoop.now + $0 }
        switch request.reply {
        case .single(let replyPromise):
            self.pending.append(PendingReply(target: .single(replyPromise), deadline: deadline))
        case .awaiting(let continuation):
            self.pending.append(PendingReply(target: .awaiting(continuation), deadline: deadline))
        case .batch(let replyPromise, let count):
            guard count > 0 else {
                replyPromise.succeed([])
                promise?.succeed(())
                return
            }
            self.appendBatch(.promise(replyPromise), count: count, deadline: deadline)
        case .awaitingBatch(let continuation, let count):
            guard count > 0 else {
                continuation.resume(returning: [])
                promise?.succeed(())
                return
            }
            self.appendBatch(.continuation(continuation), count: count, deadline: deadline)
        }
        if let deadline {
            self.armTimer(for: deadline, context: context)
        }
        context.write(self.wrapOutboundOut(request.bytes), promise: promise)
    }

    private func appendBatch(_ waiter: RESPBatchCollector.Waiter, count: Int, deadline: NIODeadline?) {
        let collector = RESPBatchCollector(waiter, expected: count)
        for _ in 0..<count {
            self.pending.append(PendingReply(target: .batchElement(collector), deadline: deadline))
        }
    }

    /// Coalesces the flushes of requests that arrive in the same event loop tick (concurrent senders) into one
    /// syscall: the flush runs after every write already queued on the loop.
    func flush(context: ChannelHandlerContext) {
        guard !self.isFlushScheduled else { return }
        self.isFlushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.isFlushScheduled = false
            context.flush()
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.shutDown(with: SocketIOError(.connectionClosed, "connection closed locally"))
        context.close(mode: mode, promise: promise)
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let token = self.unwrapInboundIn(data)
        if token.typeIdentifier == .push {
            if let onPush = self.onPush {
                onPush(token)
            } else {
                self.status.markUnhealthy()
                self.logger.debug("unhandled RESP3 push frame; connection marked unhealthy")
            }
            return
        }
        guard let reply = self.pending.popFirst() else {
            self.status.markUnhealthy()
            self.logger.warning("reply arrived with no request pending; connection marked unhealthy")
            return
        }
        // The timer stays armed when the last reply arrives: cancelling it and arming a new one for the next
        // request cost every round trip two trips through the loop's timer queue. A timer that fires with
        // nothing pending just ends.
        reply.succeed(token)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.shutDown(with: .closedByPeer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let mapped = SocketIOError.established(error)
        self.logger.debug("connection failed", metadata: ["error": "\(mapped)"])
        self.shutDown(with: mapped)
        context.close(promise: nil)
    }

    // MARK: - Failure

    /// Records the first reason the connection went down and fails every pending request with it.
    private func shutDown(with error: SocketIOError) {
        if self.failure == nil {
            self.failure = error
            self.status.recordFailure(error)
        }
        self.cancelTimer()
        let failure = self.failure ?? error
        while let reply = self.pending.popFirst() {
            reply.fail(failure)
        }
    }

    // MARK: - Request deadlines

    /// One timer serves all requests: it is set for the earliest deadline known when it was armed, and when it
    /// fires early (its request was answered) it is set again for the earliest deadline still pending.
    private func armTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let current = self.timerDeadline, current <= deadline { return }
        self.timer?.cancel()
        self.timerDeadline = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func cancelTimer() {
        self.timer?.cancel()
        self.timer = nil
        self.timerDeadline = nil
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        self.timerDeadline = nil
        guard self.failure == nil else { return }
        let now = context.eventLoop.now
        var earliest: NIODeadline?
        for reply in self.pending {
            guard let deadline = reply.deadline else { continue }
            earliest = min(earliest ?? deadline, deadline)
        }
        guard let earliest else { return }
        guard earliest <= now else {
            self.armTimer(for: earliest, context: context)
            return
        }

        // Replies can no longer be matched to requests: the late one would answer the next request.
        let timeout = SocketIOError(.requestTimeout, "no reply within the request timeout; connection closed")
        let closed = SocketIOError(.connectionClosed, "connection closed after another request timed out")
        self.failure = closed
        self.status.recordFailure(closed)
        while let reply = self.pending.popFirst() {
            let expired = reply.deadline.map { $0 <= now } ?? false
            reply.fail(expired ? timeout : closed)
        }
        self.logger.debug("request timed out; closing the connection")
        context.close(promise: nil)
    }
}
