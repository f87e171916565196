import NIOCore
import PoolProxyConfig
import RESPCodec
import SocketIO

/// One client connection: parses its requests, sends each to a backend, and writes the replies back in request
/// order.
///
/// Requests travel as the client's own bytes (``RESPToken/base``) and replies as slices of the backend's bytes:
/// only the command name and, in sharded pools, the keys are read. A client whose commands change connection
/// state is moved to a dedicated connection (see `ClientSession+Pinning.swift`); in a sharded pool, multi-key
/// commands are split and merged (see `ClientSession+Sharding.swift`).
///
/// Memory stays bounded: past `client_max_pending` requests in flight, or while the client does not read its
/// replies, the session stops reading from the socket; past `client_max_output_bytes` of unread replies, it
/// closes the client.
final class ClientSession: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode {
        case multiplexed
        case acquiring(server: Int)
        case pinned(PinnedConnection)
    }

    enum Lifecycle {
        case open
        /// No more requests are read; the session closes once every reply is written.
        case closingAfterReplies
        case closed
    }

    let loopPool: LoopPool
    var context: ChannelHandlerContext?
    var parser: RESPParser
    var unparsed: ByteBuffer?
    var slots = CircularBuffer<ReplySlot>(initialCapacity: 1)
    var headSequence: UInt64 = 0
    var arguments: [ByteBuffer] = []
    var keyIndices: [Int] = []
    var keyServers: [Int] = []
    var deferred = LazyQueue<RESPToken>()
    var mode = Mode.multiplexed
    /// The protocol the client chose with a plain `HELLO 2|3`; its requests use multiplexed connections that speak it.
    var protocolVersion = 2
    var lifecycle = Lifecycle.open
    var now: UInt64 = 0
    /// False until the client authenticates, in a pool whose clients must (`client_auth`, `redis_auth`).
    var isAuthenticated: Bool
    /// A failed AUTH's reply is being held back (`client_auth.failure_delay`); later requests wait behind it.
    var isDelayingAuthenticationFailure = false
    var authenticationFailures: UInt32 = 0
    /// In a cluster pool, a `MULTI` answered but not sent yet: the node is the one owning the first key to come.
    var isHoldingClusterTransaction = false
    /// The dedicated connection being acquired must start with that `MULTI`.
    var startsClusterTransaction = false
    private(set) var readPending = false
    private(set) var needsFlush = false
    /// Replies not handed to the channel yet: adjacent ones go as one write.
    private(set) var outgoing = WriteRun()
    private var isResuming = false
    /// Closing: the output is closed, and input is read and dropped until the client closes.
    private(set) var isLingering = false
    private let maximumPending: Int
    private let maximumOutputBytes: Int
    /// `client_idle_timeout`, in nanoseconds.
    let idleTimeoutNanoseconds: UInt64?
    /// When the incomplete request at the end of ``unparsed`` began to arrive (or reading last resumed).
    private var partialRequestSince: UInt64?
    /// Parks the client while it is idle (`client_park_after`); nil when the listener does not park.
    let parkingTicket: ParkingTicket?
    /// The session's place in its loop's list of clients that may park.
    var parkingIndex = -1
    /// The channel is closing because the client is being parked, not leaving.
    var isParking = false
    /// The client came back from parking: it is not a new connection, and it parks again only once it has been
    /// read from (what woke it is waiting in the socket; a busy loop may run a parking sweep before that read).
    let isReturning: Bool
    /// Something was read from the client in this channel.
    private(set) var hasRead = false
    /// The listener is closing; requests are read for ``drainReadTime`` more.
    private(set) var isDraining = false

    init(loopPool: LoopPool, parkingTicket: ParkingTicket? = nil, restoring parked: ParkedClient? = nil) {
        self.loopPool = loopPool
        self.parkingTicket = parkingTicket
        self.isReturning = parked != nil
        let configuration = loopPool.runtime.configuration
        self.isAuthenticated = parked?.isAuthenticated ?? loopPool.runtime.clientUsers.isEmpty
        if let parked {
            self.protocolVersion = Int(parked.protocolVersion)
            self.authenticationFailures = parked.authenticationFailures
        }
        self.now = NIODeadline.now().uptimeNanoseconds
        self.parser = RESPParser(
            mode: .request,
            limits: self.isAuthenticated
                ? Self.parserLimits(configuration) : Self.unauthenticatedParserLimits
        )
        self.maximumPending = configuration.clientMaxPending
        self.maximumOutputBytes = configuration.clientMaxOutputBytes
        self.idleTimeoutNanoseconds = configuration.clientIdleTimeout.map { UInt64(max(0, $0.nanoseconds)) }
    }

    static func parserLimits(_ configuration: ServerPoolConfiguration) -> RESPParser.Limits {
        var limits = RESPParser.Limits()
        limits.maximumBulkLength = configuration.clientMaxBulkLength
        return limits
    }

    var nextSequence: UInt64 { self.headSequence &+ UInt64(self.slots.count) }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.loopPool.tally.counts.clientConnections &+= 1
        if !self.isReturning { self.loopPool.tally.counts.totalClientConnections &+= 1 }
        if self.parkingTicket != nil { self.loopPool.trackParkable(self) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .open = self.lifecycle else { return }
        self.hasRead = true
        var buffer = self.unwrapInboundIn(data)
        if var unparsed = self.unparsed.take() {
            unparsed.writeBuffer(&buffer)
            buffer = unparsed
        }
        self.now = NIODeadline.now().uptimeNanoseconds
        var completedRequest = false
        let parsedAll = self.loopPool.flusher.reading(buffer) { () -> Bool in
            do throws(RESPParsingError) {
                while case .open = self.lifecycle, let request = try self.parser.next(&buffer) {
                    completedRequest = true
                    self.process(request)
                }
            } catch {
                self.protocolError(error)
                return false
            }
            return true
        }
        guard parsedAll else { return }
        guard buffer.readableBytes > 0, case .open = self.lifecycle else {
            self.partialRequestSince = nil
            return
        }
        if completedRequest || self.partialRequestSince == nil {
            self.partialRequestSince = self.now
        } else if let timeout = self.idleTimeoutNanoseconds, let since = self.partialRequestSince,
            self.now &- since >= timeout
        {
            // A request still incomplete after client_idle_timeout: a client trickling bytes (a slowloris) is idle
            // in all but name, and the idle timer, which every byte resets, would never reap it.
            self.loopPool.runtime.logClientDropped(
                reason: "request incomplete for longer than client_idle_timeout",
                remote: context.remoteAddress
            )
            context.close(promise: nil)
            return
        }
        self.unparsed = buffer
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.updateReadInterest()
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed(byClient: true)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.loopPool.tally.counts.clientErrors &+= 1
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            self.quiesce()
        } else if event is IdleStateHandler.IdleStateEvent {
            if self.isIdle { context.close(promise: nil) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.isLingering {
            context.read()
        } else if self.shouldPauseReading {
            self.readPending = true
        } else {
            context.read()
        }
    }

    // MARK: - Requests

    private func process(_ request: RESPToken) {
        if !self.deferred.isEmpty || !self.canDispatch {
            self.deferred.append(request)
            return
        }
        if !self.dispatch(request) { self.deferred.append(request) }
        // The arguments are slices of the read buffer; keeping them would keep the whole buffer alive.
        self.arguments.removeAll(keepingCapacity: true)
    }

    private var canDispatch: Bool {
        if case .acquiring = self.mode { return false }
        if self.isDelayingAuthenticationFailure { return false }
        return true
    }

    /// Dispatches deferred requests, in order, until one has to wait again.
    func resumeDeferred() {
        guard !self.isResuming else { return }
        self.isResuming = true
        defer { self.isResuming = false }
        while case .open = self.lifecycle, self.canDispatch, let request = self.deferred.first {
            self.deferred.removeFirst()
            let dispatched = self.dispatch(request)
            self.arguments.removeAll(keepingCapacity: true)
            if !dispatched {
                self.deferred.prepend(request)
                break
            }
        }
        self.updateReadInterest()
    }

    /// Reads the arguments into ``arguments``; false for an empty request, which Redis ignores.
    func readArguments(_ request: RESPToken) -> Bool {
        self.arguments.removeAll(keepingCapacity: true)
        guard case .array(let elements) = request.value, elements.count > 0 else { return false }
        for element in elements {
            guard case .bulkString(let bytes) = element.value else { return false }
            self.arguments.append(bytes)
        }
        return true
    }

    // MARK: - Replies

    /// Appends a reply slot for a request about to be sent.
    func reserveSlot(_ slot: ReplySlot = .waiting) -> UInt64 {
        let sequence = self.nextSequence
        self.slots.append(slot)
        return sequence
    }

    /// A reply the proxy gives itself, in order with the others.
    func replyLocally(_ reply: ByteBuffer) {
        if self.slots.isEmpty {
            self.write(reply)
        } else {
            self.slots.append(.ready(reply))
        }
    }

    /// A backend's (or the proxy's) whole reply to request `sequence`.
    func receive(_ reply: ByteBuffer, sequence: UInt64) {
        guard self.context != nil else { return }
        let index = Int(truncatingIfNeeded: sequence &- self.headSequence)
        guard index >= 0, index < self.slots.count else { return }
        if index == 0 {
            self.slots.removeFirst()
            self.headSequence &+= 1
            self.write(reply)
            self.writeReadySlots()
        } else {
            self.slots[offset: index] = .ready(WriteRun.growable(reply, in: self.loopPool.flusher.readSource))
        }
    }

    func receiveFragment(_ reply: RESPToken, sequence: UInt64, part: Int) {
        guard self.context != nil else { return }
        let index = Int(truncatingIfNeeded: sequence &- self.headSequence)
        guard index >= 0, index < self.slots.count,
            case .merging(let fragments) = self.slots[offset: index]
        else { return }
        fragments.parts[part] = reply
        fragments.remaining -= 1
        if fragments.remaining == 0 {
            self.receive(ReplyMerger.merge(fragments.parts.map { $0! }, kind: fragments.kind), sequence: sequence)
        }
    }

    private func writeReadySlots() {
        while let first = self.slots.first, case .ready(let reply) = first {
            self.slots.removeFirst()
            self.headSequence &+= 1
            self.write(reply)
        }
        if self.slots.isEmpty { self.becameIdle() }
        self.updateReadInterest()
    }

    /// Called when no multiplexed reply is outstanding: a barrier (a pin, QUIT) may pass, or a closing session
    /// may close.
    func becameIdle() {
        if !self.deferred.isEmpty { self.resumeDeferred() }
        if case .closingAfterReplies = self.lifecycle, self.isIdle { self.closeAfterFlush() }
    }

    func write(_ reply: ByteBuffer) {
        guard let context, !self.lifecycle.isClosed else { return }
        if let previous = self.outgoing.append(reply, source: self.loopPool.flusher.readSource) {
            context.write(self.wrapOutboundOut(previous), promise: nil)
        }
        if !self.needsFlush {
            self.needsFlush = true
            self.loopPool.flusher.schedule(self)
        }
        if !context.channel.isWritable { self.checkOutputLimit(context) }
    }

    func flush() {
        self.needsFlush = false
        guard let context else { return }
        if let run = self.outgoing.take() { context.write(self.wrapOutboundOut(run), promise: nil) }
        context.flush()
    }

    private func checkOutputLimit(_ context: ChannelHandlerContext) {
        guard let buffered = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes),
            buffered > self.maximumOutputBytes
        else { return }
        self.loopPool.runtime.logClientDropped(
            reason: "output buffer above client_max_output_bytes (\(buffered) bytes unread)",
            remote: context.remoteAddress
        )
        self.loopPool.tally.counts.clientErrors &+= 1
        self.lifecycle = .closed
        context.close(promise: nil)
    }

    // MARK: - Back-pressure

    private var shouldPauseReading: Bool {
        guard case .open = self.lifecycle, let context else { return true }
        return self.slots.count >= self.maximumPending || self.deferred.count >= self.maximumPending
            || !context.channel.isWritable
    }

    func updateReadInterest() {
        if self.readPending, !self.shouldPauseReading, let context {
            self.readPending = false
            // The client could not send while reading was paused: its partial request starts ageing now.
            if self.partialRequestSince != nil { self.partialRequestSince = NIODeadline.now().uptimeNanoseconds }
            context.read()
        }
    }

    // MARK: - Closing

    /// Nothing is in flight: no reply slot and no outstanding request on a dedicated connection.
    var isIdle: Bool {
        guard self.slots.isEmpty else { return false }
        if case .pinned(let pin) = self.mode { return pin.outstanding == 0 && !pin.sticky }
        if case .acquiring = self.mode { return false }
        return true
    }

    private func protocolError(_ error: RESPParsingError) {
        self.loopPool.tally.counts.clientErrors &+= 1
        self.deferred.removeAll()
        self.unparsed = nil
        self.replyLocally(ProxyReply.error("ERR \(error.description)"))
        self.lifecycle = .closingAfterReplies
        // A pinned client's outstanding replies would arrive after the error; it sent garbage, so close now.
        if self.isIdle || self.isPinned { self.closeAfterFlush() }
    }

    /// Writes what is queued, then closes.
    ///
    /// The output closes first, and the client's unread requests are read and dropped until it closes too (or for
    /// ``lingerTime``): closing with unread input in the socket sends a reset, and a reset can destroy the replies
    /// just written before the client reads them. A pipelining client lost replies that way in a drain.
    func closeAfterFlush() {
        guard let context, !self.lifecycle.isClosed else { return }
        self.lifecycle = .closed
        self.needsFlush = false
        self.isLingering = true
        if let run = self.outgoing.take() { context.write(self.wrapOutboundOut(run), promise: nil) }
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer())).whenComplete { _ in
            channel.close(mode: .output).whenComplete { result in
                guard case .success = result else { return channel.close(promise: nil) }
                channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
            }
        }
        context.read()
    }

    /// How long a closing session keeps reading after its last reply, waiting for the client to close.
    static let lingerTime = TimeAmount.seconds(1)

    /// The listener is closing: requests that were on their way are still read and answered for
    /// ``drainReadTime``, then the session answers what it has read and closes.
    ///
    /// Closing an idle client at once would drop a request it sent just before the proxy began closing, still in
    /// the socket and unread; a client cannot tell that from a request the proxy accepted and lost.
    private func quiesce() {
        guard case .open = self.lifecycle, !self.isDraining, let context else { return }
        self.isDraining = true
        let session = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.drainReadTime) {
            session.value.stopReadingRequests()
        }
    }

    private func stopReadingRequests() {
        guard case .open = self.lifecycle else { return }
        self.lifecycle = .closingAfterReplies
        self.deferred.removeAll()
        if self.isIdle || self.isSubscriber { self.closeAfterFlush() }
    }

    /// How long a closing listener's clients may still send requests: longer than a request in transit takes,
    /// and long enough for the event loop to read what is already in the socket.
    static let drainReadTime = TimeAmount.milliseconds(50)

    private var isPinned: Bool {
        if case .pinned = self.mode { return true }
        return false
    }

    private var isSubscriber: Bool {
        if case .pinned(let pin) = self.mode { return pin.sticky }
        return false
    }

    private func closed(byClient: Bool) {
        let wasOpen = !self.lifecycle.isClosed
        self.lifecycle = .closed
        self.loopPool.tally.counts.clientConnections &-= 1
        if wasOpen && byClient && !self.isParking { self.loopPool.tally.counts.clientEOF &+= 1 }
        if self.parkingIndex >= 0 { self.loopPool.untrackParkable(self) }
        self.releasePinOnClose()
        self.slots.removeAll()
        self.deferred.removeAll()
        self.unparsed = nil
        _ = self.outgoing.take()
        self.context = nil
    }
}

extension ClientSession.Lifecycle {
    var isClosed: Bool {
        if case .closed = self { return true }
        return false
    }
}
