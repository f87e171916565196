import CircuitBreaker
import NIOCore
import RESPCodec

/// One connection to a backend, and the channel handler that reads its replies.
///
/// Requests are the clients' original bytes; replies are parsed only far enough to find where each ends, then
/// handed, as slices of the bytes read, to whoever waits for them (``ReplyTarget``), in order. A dedicated
/// connection instead streams every reply to the one client it is lent to (``pinnedSession``), which is how
/// pub/sub pushes and MONITOR output pass through.
///
/// Lives on one event loop, with the clients that use it; nothing here locks.
final class BackendConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let server: BackendServer
    let flusher: LoopFlusher
    /// The per-request timeout, in nanoseconds; nil waits forever.
    let timeoutNanoseconds: Int64?
    /// Told once when the connection ends, after every waiting request has been answered with an error.
    var onClose: ((BackendConnection, BackendFailure) -> Void)?
    /// The client this dedicated connection is lent to.
    weak var pinnedSession: ClientSession?

    private(set) var pending = CircularBuffer<PendingReply>(initialCapacity: 16)
    private(set) var isClosed = false
    private var context: ChannelHandlerContext?
    private var parser = RESPParser(mode: .reply)
    private var unparsed: ByteBuffer?
    private var timeoutTask: Scheduled<Void>?
    /// When the current read burst arrived: one clock read serves every reply in it.
    private var readAt: UInt64 = 0
    /// Requests not handed to the channel yet: adjacent ones go as one write.
    private var outgoing = WriteRun()
    var needsFlush = false

    init(server: BackendServer, flusher: LoopFlusher, timeout: Duration?) {
        self.server = server
        self.flusher = flusher
        self.timeoutNanoseconds = timeout.map(\.nanoseconds)
    }

    var channel: (any Channel)? { self.context?.channel }
    var isWritable: Bool { self.context?.channel.isWritable ?? false }

    // MARK: - Writing

    /// Writes a request; the reply goes to `target`. The write is flushed at the end of the current read burst.
    func send(
        _ request: ByteBuffer,
        to target: ReplyTarget,
        permit: CircuitBreakerPermitTag? = nil,
        now: UInt64,
        redirects: UInt8 = 0
    ) {
        guard let context, !self.isClosed else {
            self.answer(PendingReply(target: target, sentAt: now, permit: permit), with: .closedByProxy)
            return
        }
        self.server.tally.counts.requests &+= 1
        self.server.tally.counts.requestBytes &+= UInt64(request.readableBytes)
        self.pending.append(
            PendingReply(
                target: target,
                sentAt: now,
                permit: permit,
                request: self.server.isCluster ? request : nil,
                redirects: redirects
            )
        )
        self.write(request, context: context)
        if self.timeoutNanoseconds != nil, self.timeoutTask == nil { self.armTimeout(now: now) }
    }

    /// Writes a request on a dedicated connection, whose replies stream to ``pinnedSession``.
    func sendPinned(_ request: ByteBuffer) {
        guard let context, !self.isClosed else { return }
        self.server.tally.counts.requests &+= 1
        self.server.tally.counts.requestBytes &+= UInt64(request.readableBytes)
        self.write(request, context: context)
    }

    private func write(_ request: ByteBuffer, context: ChannelHandlerContext) {
        if let previous = self.outgoing.append(request, source: self.flusher.readSource) {
            context.write(self.wrapOutboundOut(previous), promise: nil)
        }
        self.scheduleFlush()
    }

    func flush() {
        self.needsFlush = false
        guard let context else { return }
        if let run = self.outgoing.take() { context.write(self.wrapOutboundOut(run), promise: nil) }
        context.flush()
    }

    private func scheduleFlush() {
        if !self.needsFlush {
            self.needsFlush = true
            self.flusher.schedule(self)
        }
    }

    /// Closes the connection; waiting requests get an error naming `failure`.
    func close(_ failure: BackendFailure) {
        self.fail(failure)
    }

    // MARK: - ChannelHandler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.server.tally.counts.serverConnections &+= 1
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The context holds this handler: keeping it would keep both, and the channel, alive once closed.
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = self.unwrapInboundIn(data)
        self.readAt = NIODeadline.now().uptimeNanoseconds
        if var unparsed = self.unparsed.take() {
            unparsed.writeBuffer(&buffer)
            buffer = unparsed
        }
        let parsedAll = self.flusher.reading(buffer) { () -> Bool in
            do throws(RESPParsingError) {
                while let token = try self.parser.next(&buffer) {
                    self.deliver(token)
                    if self.isClosed { return false }
                }
            } catch {
                self.fail(.protocolError(error.description))
                return false
            }
            return true
        }
        guard parsedAll else { return }
        guard buffer.readableBytes > 0 else { return }
        if buffer.readerIndex > 0 {
            // Keep only the incomplete reply's bytes. The read buffer's storage is shared with the replies sliced
            // from it, so appending the next read to it would copy all of it, earlier replies included, and each
            // reply would keep such a copy alive: a client slow to read 64 KB replies held gigabytes that way.
            var rest = context.channel.allocator.buffer(capacity: buffer.readableBytes)
            rest.writeBuffer(&buffer)
            buffer = rest
        }
        self.unparsed = buffer
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(.closedByServer)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(.ioError("\(error)"))
    }

    // MARK: - Replies

    private func deliver(_ token: RESPToken) {
        self.server.tally.counts.responses &+= 1
        self.server.tally.counts.responseBytes &+= UInt64(token.base.readableBytes)
        guard let waiting = self.pending.popFirst() else {
            if let session = self.pinnedSession {
                session.receivePinned(token)
            } else {
                self.fail(.unexpectedReply)
            }
            return
        }
        if waiting.request != nil, token.typeIdentifier == .simpleError,
            self.server.followClusterError(token, for: waiting, now: self.readAt)
        {
            return
        }
        switch waiting.target {
        case .client(let session, let sequence):
            self.server.recordSuccess(waiting, now: self.readAt)
            session.receive(token.base, sequence: sequence)
        case .fragment(let session, let sequence, let part):
            self.server.recordSuccess(waiting, now: self.readAt)
            session.receiveFragment(token, sequence: sequence, part: part)
        case .handshake(let command):
            switch token.value {
            case .simpleError(let message), .bulkError(let message):
                self.fail(.handshakeRejected(command: command, reply: String(buffer: message)))
                return
            default:
                break
            }
        case .discard:
            break
        }
        if self.timeoutTask != nil, self.pending.isEmpty {
            self.timeoutTask?.cancel()
            self.timeoutTask = nil
        }
    }

    private func answer(_ waiting: PendingReply, with failure: BackendFailure) {
        switch waiting.target {
        case .client(let session, let sequence):
            session.receive(self.server.errorReply(failure), sequence: sequence)
        case .fragment(let session, let sequence, let part):
            session.receiveFragment(self.server.errorToken(failure), sequence: sequence, part: part)
        case .handshake, .discard:
            break
        }
    }

    // MARK: - Timeouts

    private func armTimeout(now: UInt64) {
        guard let timeout = self.timeoutNanoseconds, let oldest = self.pending.first, let context else { return }
        let deadline = NIODeadline.uptimeNanoseconds(oldest.sentAt) + .nanoseconds(timeout)
        self.timeoutTask = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timeoutFired()
        }
    }

    private func timeoutFired() {
        self.timeoutTask = nil
        guard let timeout = self.timeoutNanoseconds, let oldest = self.pending.first else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        if now &- oldest.sentAt >= UInt64(timeout) {
            self.server.tally.counts.serverTimedOut &+= 1
            // The replies behind a late one would be matched to the wrong requests: the connection must go.
            self.fail(.timedOut(milliseconds: timeout / 1_000_000))
        } else {
            self.armTimeout(now: now)
        }
    }

    // MARK: - Failure

    private func fail(_ failure: BackendFailure) {
        guard !self.isClosed else { return }
        self.isClosed = true
        self.timeoutTask?.cancel()
        self.timeoutTask = nil
        self.server.tally.counts.serverConnections &-= 1
        switch failure {
        case .closedByServer: self.server.tally.counts.serverEOF &+= 1
        case .closedByProxy: break
        default: self.server.tally.counts.serverErrors &+= 1
        }
        var waiting = self.pending
        self.pending.removeAll()
        self.unparsed = nil
        // Requests never handed to the channel: their waiting replies are answered with the failure below.
        _ = self.outgoing.take()
        let failsBackend = failure != .closedByProxy
        while let request = waiting.popFirst() {
            if failsBackend { self.server.recordFailure(request.permit) }
            self.answer(request, with: failure)
        }
        if let session = self.pinnedSession {
            self.pinnedSession = nil
            session.pinnedConnectionFailed(self.server.errorReply(failure))
        }
        self.context?.close(promise: nil)
        self.onClose?(self, failure)
        self.onClose = nil
        self.flusher.flushAll()
    }
}
