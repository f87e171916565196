import NIOCore
import RESPCodec

/// One benchmark connection on its event loop. Closed loop keeps up to `pipeline` requests in flight and sends the
/// next one when a reply arrives; open loop sends each request at its ``OpenLoopSchedule`` time (or as soon as the
/// pipeline allows, if behind) and measures from the intended time. Replies are matched FIFO.
///
/// The handler parses replies itself, straight from the socket's buffers, rather than behind a
/// `ByteToMessageHandler`: that saves a pipeline hop, an `NIOAny` box and a cast per reply, which at a pipeline
/// of 16 was a visible share of the client's time.
final class BenchClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Plan: Sendable {
        var pipeline: Int
        /// When every connection starts, on the uptime clock in nanoseconds.
        var start: UInt64
        /// nil runs closed loop.
        var schedule: OpenLoopSchedule?
        /// Requests intended before this are warm-up: sent, not recorded.
        var measureStart: UInt64
        /// No request is issued at or after this (intended time in open loop, send time in closed loop).
        var end: UInt64?
        /// Measured requests this connection issues, for `--requests`.
        var quota: Int?
        var drainDeadline: UInt64?
        /// With requests in flight and no reply for this long (nanoseconds), the connection gives up: what is in
        /// flight and what is left of its quota count as errors. nil waits forever.
        var stallTimeout: UInt64?
    }

    struct HandshakeRejected: Error, CustomStringConvertible {
        let description: String
    }

    private struct Pending {
        var command: Int
        var intended: UInt64
        var sent: UInt64
        var measured: Bool
    }

    private let eventLoop: any EventLoop
    private var generator: WorkloadGenerator
    private let recorder: BenchRecorder
    private let countsHits: [Bool]
    private let handshake: [[String]]
    private var handshakeRepliesLeft: Int
    private var ready: EventLoopPromise<Void>?
    private var finished: EventLoopPromise<UInt64>?
    private var context: ChannelHandlerContext?
    private var plan: Plan?
    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    private var parser = RESPParser(mode: .reply)
    /// The start of a reply whose rest has not arrived yet.
    private var unfinished: ByteBuffer?
    private var nextIndex: Int64 = 0
    private var issuedMeasured = 0
    private var issuing = false
    private var timerArmed = false
    private var lastReply: UInt64 = 0
    private var lastProgress: UInt64 = 0
    private var measuredSends: ClosedRange<UInt64>?
    private var repliesSinceFlush = false

    /// Commands whose null reply is a miss and whose other replies are hits.
    static let hitCountingCommands: Set<String> = ["GET", "GETEX", "GETDEL", "HGET", "LINDEX", "ZSCORE", "JSON.GET"]

    init(eventLoop: any EventLoop, generator: WorkloadGenerator, recorder: BenchRecorder, handshake: [[String]]) {
        self.eventLoop = eventLoop
        self.generator = generator
        self.recorder = recorder
        self.countsHits = recorder.commandNames.map { Self.hitCountingCommands.contains($0) }
        self.handshake = handshake
        self.handshakeRepliesLeft = handshake.count
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: - Control, on the event loop

    /// Sends AUTH/HELLO/SELECT; the future succeeds once all were accepted.
    func beginHandshake() -> EventLoopFuture<Void> {
        guard let context = self.context else {
            return self.eventLoop.makeFailedFuture(HandshakeRejected(description: "channel closed"))
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        guard !self.handshake.isEmpty else {
            promise.succeed()
            return promise.futureResult
        }
        self.ready = promise
        var buffer = context.channel.allocator.buffer(capacity: 128)
        for command in self.handshake { _ = buffer.writeRESPCommand(command) }
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        return promise.futureResult
    }

    /// Starts issuing requests; the future succeeds with the last reply's time when this connection is done.
    func start(_ plan: Plan) -> EventLoopFuture<UInt64> {
        guard let context = self.context else {
            return self.eventLoop.makeFailedFuture(HandshakeRejected(description: "channel closed"))
        }
        let promise = context.eventLoop.makePromise(of: UInt64.self)
        self.finished = promise
        self.plan = plan
        self.issuing = true
        if let schedule = plan.schedule {
            // Open loop starts at the schedule; nothing is sent before the common start time.
            self.nextIndex = schedule.firstIndex(atOrAfter: schedule.start)
        }
        self.lastProgress = max(plan.start, NIODeadline.now().uptimeNanoseconds)
        if let stallTimeout = plan.stallTimeout {
            self.armStallCheck(at: self.lastProgress + stallTimeout)
        }
        if let drainDeadline = plan.drainDeadline {
            context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(drainDeadline)) {
                self.drainTimedOut()
            }
        }
        if plan.start > NIODeadline.now().uptimeNanoseconds {
            self.armTimer(at: plan.start)
        } else {
            self.pump()
        }
        return promise.futureResult
    }

    // MARK: - Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = self.unwrapInboundIn(data)
        if var unfinished = self.unfinished {
            self.unfinished = nil
            unfinished.writeBuffer(&buffer)
            buffer = unfinished
        }
        // Every reply in one read arrived at the same moment; one clock read serves them all.
        let now = NIODeadline.now().uptimeNanoseconds
        do {
            while let token = try self.parser.next(&buffer) {
                self.reply(token, at: now)
            }
        } catch {
            self.errorCaught(context: context, error: error)
            return
        }
        if buffer.readableBytes > 0 { self.unfinished = buffer }
    }

    private func reply(_ token: RESPToken, at now: UInt64) {
        if token.typeIdentifier == .push { return }
        if self.handshakeRepliesLeft > 0 {
            self.handshakeReply(token)
            return
        }
        guard let request = self.pending.popFirst() else { return }
        self.lastReply = now
        self.lastProgress = now
        self.repliesSinceFlush = true
        guard request.measured else { return }
        self.recorder.record(
            command: request.command,
            intended: request.intended,
            sent: request.sent,
            replied: now,
            outcome: Self.outcome(of: token, countsHits: self.countsHits[request.command])
        )
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.repliesSinceFlush {
            self.repliesSinceFlush = false
            self.pump()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failPending(reason: "connection closed")
        self.ready?.fail(HandshakeRejected(description: "connection closed during the handshake"))
        self.ready = nil
        self.complete()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failPending(reason: error is RESPParsingError ? "protocol error" : "io error")
        self.ready?.fail(error)
        self.ready = nil
        self.complete()
        context.close(promise: nil)
    }

    // MARK: - Sending

    private func pump() {
        guard let plan = self.plan, let context = self.context else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        var buffer: ByteBuffer?
        while self.issuing && self.pending.count < plan.pipeline {
            if let quota = plan.quota, self.issuedMeasured >= quota {
                self.issuing = false
                break
            }
            let intended: UInt64
            if let schedule = plan.schedule {
                intended = schedule.intendedTime(of: self.nextIndex)
                if let end = plan.end, intended >= end {
                    self.issuing = false
                    break
                }
                // Behind schedule when the run ends: the backlog is reported, not sent. Sending it would stretch
                // the run past its duration for as long as the backlog takes, and the drain deadline would then
                // fail the requests still in flight.
                if let end = plan.end, now >= end {
                    self.recordUnsent(schedule: schedule, end: end, measureStart: plan.measureStart)
                    self.issuing = false
                    break
                }
                if intended > now {
                    self.armTimer(at: intended)
                    break
                }
                self.nextIndex += 1
            } else {
                if let end = plan.end, now >= end {
                    self.issuing = false
                    break
                }
                if now < plan.start {
                    self.armTimer(at: plan.start)
                    break
                }
                intended = now
            }
            if buffer == nil { buffer = context.channel.allocator.buffer(capacity: 256 * plan.pipeline) }
            let command = self.generator.writeNext(into: &buffer!)
            let measured = intended >= plan.measureStart
            if measured {
                self.issuedMeasured += 1
                self.measuredSends = self.measuredSends.map { $0.lowerBound...now } ?? now...now
            }
            self.pending.append(Pending(command: command, intended: intended, sent: now, measured: measured))
        }
        if let buffer {
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        }
        if !self.issuing && self.pending.isEmpty {
            self.complete()
        }
    }

    private func recordUnsent(schedule: OpenLoopSchedule, end: UInt64, measureStart: UInt64) {
        let first = max(self.nextIndex, schedule.firstIndex(atOrAfter: measureStart))
        let unsent = schedule.firstIndex(atOrAfter: end) - first
        if unsent > 0 { self.recorder.recordUnsent(UInt64(unsent)) }
    }

    private func armTimer(at deadline: UInt64) {
        guard !self.timerArmed, let context = self.context else { return }
        self.timerArmed = true
        context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(deadline)) {
            self.timerArmed = false
            self.pump()
        }
    }

    // MARK: - Replies

    private func handshakeReply(_ token: RESPToken) {
        self.handshakeRepliesLeft -= 1
        if let error = Self.errorMessage(of: token) {
            self.ready?.fail(HandshakeRejected(description: "the server refused the handshake: \(error)"))
            self.ready = nil
            self.context?.close(promise: nil)
        } else if self.handshakeRepliesLeft == 0 {
            self.ready?.succeed()
            self.ready = nil
        }
    }

    static func outcome(of token: RESPToken, countsHits: Bool) -> BenchRecorder.Outcome {
        switch token.typeIdentifier {
        case .simpleError, .bulkError:
            let message = Self.errorMessage(of: token) ?? "ERR"
            return .error(String(message.prefix { $0 != " " }))
        case .null:
            return countsHits ? .miss : .reply
        case .bulkString, .array:
            guard countsHits else { return .reply }
            // RESP2 nulls: $-1 and *-1.
            let isNull = token.base.getInteger(at: token.base.readerIndex + 1, as: UInt8.self) == UInt8(ascii: "-")
            return isNull ? .miss : .hit
        default:
            return countsHits ? .hit : .reply
        }
    }

    static func errorMessage(of token: RESPToken) -> String? {
        switch token.value {
        case .simpleError(let buffer), .bulkError(let buffer): String(buffer: buffer)
        default: nil
        }
    }

    // MARK: - Ending

    private func failPending(reason: String) {
        while let request = self.pending.popFirst() {
            if request.measured { self.recorder.recordError(command: request.command, type: reason) }
        }
        self.issuing = false
    }

    /// Stops issuing at once; requests in flight are neither measured nor errors.
    func interrupt() {
        guard self.finished != nil else { return }
        self.pending.removeAll()
        self.complete()
    }

    private func armStallCheck(at deadline: UInt64) {
        guard let context = self.context else { return }
        context.eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(deadline)) {
            self.checkStall()
        }
    }

    private func checkStall() {
        guard self.finished != nil, let plan = self.plan, let stallTimeout = plan.stallTimeout else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        if self.pending.isEmpty || now < self.lastProgress + stallTimeout {
            // Waiting on the schedule is not a stall; look again one timeout after the latest progress.
            self.armStallCheck(at: max(now, self.lastProgress) + stallTimeout)
            return
        }
        let reason = Self.stallReason(stallTimeout)
        self.failPending(reason: reason)
        if let quota = plan.quota, quota > self.issuedMeasured {
            self.recorder.recordError(command: 0, type: reason, count: UInt64(quota - self.issuedMeasured))
            self.issuedMeasured = quota
        }
        self.complete()
        self.context?.close(promise: nil)
    }

    static func stallReason(_ stallTimeout: UInt64) -> String {
        stallTimeout % 1_000_000_000 == 0
            ? "no reply for \(stallTimeout / 1_000_000_000) s" : "no reply for \(stallTimeout / 1_000_000) ms"
    }

    private func drainTimedOut() {
        guard self.finished != nil else { return }
        self.failPending(reason: "no reply before the drain timeout")
        self.complete()
        self.context?.close(promise: nil)
    }

    private func complete() {
        self.issuing = false
        if self.finished != nil, let sends = self.measuredSends { self.recorder.recordSends(sends) }
        self.finished?.succeed(self.lastReply)
        self.finished = nil
    }
}
