import Logging
import NIOCore
import NIOEmbedded
import RESPCodec
import Testing

@testable import SocketIO

/// Drives the handler on an `EmbeddedChannel`: replies are fed by hand and time only moves with `advanceTime`.
@Suite final class RESPConnectionHandlerTests {
    private let channel: EmbeddedChannel
    private let status = RESPConnectionStatus()
    private let pushes = Pushes()

    init() throws {
        self.channel = EmbeddedChannel()
        let pushes = self.pushes
        try self.channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(RESPTokenDecoder(mode: .reply)),
            RESPConnectionHandler(
                status: self.status,
                onPush: { pushes.append(RESPValue($0)) },
                logger: Logger(label: "test")
            )
        )
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
    }

    // The pipeline and its handlers refer to each other until the channel closes; a test that leaves it open would
    // leak them (LeakSanitizer reports it).
    deinit {
        _ = try? self.channel.finish(acceptAlreadyClosed: true)
    }

    // MARK: - Matching

    @Test func repliesAnswerRequestsInOrder() throws {
        let first = try self.send("GET", "a")
        let second = try self.send("GET", "b")
        let third = try self.send("GET", "c")
        #expect(try self.channel.readOutbound(as: ByteBuffer.self) == Self.encoded(["GET", "a"]))

        try self.channel.writeInbound(ByteBuffer(string: "$1\r\nA\r\n:2\r\n$-1"))
        #expect(try first.value() == .bulkString("A"))
        #expect(try second.value() == .integer(2))
        #expect(third.outcome == nil)

        try self.channel.writeInbound(ByteBuffer(string: "\r\n"))
        #expect(try third.value() == .bulkString(nil))
        #expect(!self.status.isUnhealthy)
    }

    @Test func aBatchTakesExactlyItsOwnReplies() throws {
        let batch = self.channel.eventLoop.makePromise(of: [RESPToken].self)
        let batchOutcome = Outcome(batch.futureResult)
        var bytes = ByteBuffer()
        bytes.writeRESPCommand("INCR", "x")
        bytes.writeRESPCommand("INCR", "x")
        self.write(RESPOutboundRequest(bytes: bytes, reply: .batch(batch, count: 2), timeout: nil))
        let after = try self.send("PING")
        #expect(try self.channel.readOutbound(as: ByteBuffer.self) == bytes)

        try self.channel.writeInbound(ByteBuffer(string: ":1\r\n:2\r\n+PONG\r\n"))
        #expect(try batchOutcome.get().map(RESPValue.init) == [.integer(1), .integer(2)])
        #expect(try after.value() == .simpleString("PONG"))
    }

    @Test func requestsQueuedInOneLoopTickShareOneFlush() throws {
        let first = self.channel.eventLoop.makePromise(of: RESPToken.self)
        let second = self.channel.eventLoop.makePromise(of: RESPToken.self)
        let firstOutcome = Outcome(first.futureResult)
        let secondOutcome = Outcome(second.futureResult)
        self.channel.writeAndFlush(
            RESPOutboundRequest(bytes: Self.encoded(["GET", "a"]), reply: .single(first), timeout: nil),
            promise: nil
        )
        self.channel.writeAndFlush(
            RESPOutboundRequest(bytes: Self.encoded(["GET", "b"]), reply: .single(second), timeout: nil),
            promise: nil
        )
        #expect(try self.channel.readOutbound(as: ByteBuffer.self) == nil)

        self.channel.embeddedEventLoop.run()
        #expect(try self.channel.readOutbound(as: ByteBuffer.self) == Self.encoded(["GET", "a"]))
        #expect(try self.channel.readOutbound(as: ByteBuffer.self) == Self.encoded(["GET", "b"]))
        try self.channel.writeInbound(ByteBuffer(string: "+A\r\n+B\r\n"))
        #expect(try firstOutcome.value() == .simpleString("A"))
        #expect(try secondOutcome.value() == .simpleString("B"))
    }

    @Test func anUnaskedReplyMarksTheConnectionUnhealthy() throws {
        try self.channel.writeInbound(ByteBuffer(string: "+surprise\r\n"))
        #expect(self.status.isUnhealthy)
    }

    @Test func pushFramesBypassTheQueue() throws {
        let request = try self.send("GET", "k")
        try self.channel.writeInbound(ByteBuffer(string: ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n$1\r\nv\r\n"))
        #expect(try request.value() == .bulkString("v"))
        #expect(self.pushes.values == [.push([.bulkString("invalidate"), .array([.bulkString("k")])])])
        #expect(!self.status.isUnhealthy)
    }

    // MARK: - Deadlines

    @Test func anExpiredRequestClosesTheConnectionAndFailsTheRest() throws {
        let slow = try self.send("DEBUG", "SLEEP", "1", timeout: .milliseconds(100))
        let patient = try self.send("PING", timeout: .seconds(10))

        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(99))
        #expect(slow.outcome == nil)
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))

        #expect(slow.errorCode == .requestTimeout)
        #expect(patient.errorCode == .connectionClosed)
        #expect(!self.channel.isActive)
        #expect(self.status.failure?.code == .connectionClosed)
    }

    @Test func theTimerFollowsTheEarliestDeadline() throws {
        let answered = try self.send("GET", "a", timeout: .milliseconds(100))
        let later = try self.send("GET", "b", timeout: .milliseconds(150))
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        try self.channel.writeInbound(ByteBuffer(string: "+A\r\n"))
        #expect(try answered.value() == .simpleString("A"))

        self.channel.embeddedEventLoop.advanceTime(to: .uptimeNanoseconds(0) + .milliseconds(149))
        #expect(later.outcome == nil)
        #expect(self.channel.isActive)
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(later.errorCode == .requestTimeout)
    }

    @Test func aShortDeadlineBehindALongOneStillFiresOnTime() throws {
        let long = try self.send("GET", "a", timeout: .seconds(5))
        let short = try self.send("GET", "b", timeout: .milliseconds(10))
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(10))
        #expect(short.errorCode == .requestTimeout)
        #expect(long.errorCode == .connectionClosed)
    }

    @Test func answeredRequestsLeaveNoTimerBehind() throws {
        let request = try self.send("PING", timeout: .milliseconds(10))
        try self.channel.writeInbound(ByteBuffer(string: "+PONG\r\n"))
        #expect(try request.value() == .simpleString("PONG"))
        self.channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(self.channel.isActive)
        #expect(!self.status.isUnhealthy)
    }

    @Test func aTimerLeftFromAnsweredRequestsStillEnforcesALaterDeadline() throws {
        let answered = try self.send("PING", timeout: .milliseconds(100))
        try self.channel.writeInbound(ByteBuffer(string: "+PONG\r\n"))
        #expect(try answered.value() == .simpleString("PONG"))

        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        let late = try self.send("GET", "k", timeout: .milliseconds(100))
        // The first request's timer fires at 100 ms and finds only this one, due at 150 ms.
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(99))
        #expect(late.outcome == nil)
        #expect(self.channel.isActive)
        self.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(late.errorCode == .requestTimeout)
    }

    // MARK: - Direct requests

    @Test func anAwaitedRequestIsResumedByItsReply() async throws {
        let handler = try self.channel.pipeline.syncOperations.handler(type: RESPConnectionHandler.self)
        let reply = try await withUnsafeThrowingContinuation { continuation in
            handler.enqueue(
                RESPOutboundRequest(bytes: Self.encoded(["GET", "k"]), reply: .awaiting(continuation), timeout: nil)
            )
            self.channel.embeddedEventLoop.run()
            #expect(try! self.channel.readOutbound(as: ByteBuffer.self) == Self.encoded(["GET", "k"]))
            try! self.channel.writeInbound(ByteBuffer(string: "$1\r\nv\r\n"))
        }
        #expect(RESPValue(reply) == .bulkString("v"))
    }

    @Test func anAwaitedRequestOnAClosedConnectionFailsAtOnce() async throws {
        let handler = try self.channel.pipeline.syncOperations.handler(type: RESPConnectionHandler.self)
        try await self.channel.close()
        let error = await #expect(throws: SocketIOError.self) {
            try await withUnsafeThrowingContinuation { continuation in
                handler.enqueue(
                    RESPOutboundRequest(bytes: Self.encoded(["PING"]), reply: .awaiting(continuation), timeout: nil)
                )
            }
        }
        #expect(error?.code == .connectionClosed)
    }

    @Test func anAwaitedBatchIsResumedOnceWithAllItsReplies() async throws {
        let handler = try self.channel.pipeline.syncOperations.handler(type: RESPConnectionHandler.self)
        var bytes = ByteBuffer()
        bytes.writeRESPCommand("INCR", "x")
        bytes.writeRESPCommand("INCR", "x")
        let replies = try await withUnsafeThrowingContinuation { continuation in
            handler.enqueue(
                RESPOutboundRequest(bytes: bytes, reply: .awaitingBatch(continuation, count: 2), timeout: nil)
            )
            try! self.channel.writeInbound(ByteBuffer(string: ":1\r\n"))
            try! self.channel.writeInbound(ByteBuffer(string: ":2\r\n"))
        }
        #expect(replies.map(RESPValue.init) == [.integer(1), .integer(2)])
    }

    @Test func anAwaitedBatchCutShortFailsOnce() async throws {
        let handler = try self.channel.pipeline.syncOperations.handler(type: RESPConnectionHandler.self)
        var bytes = ByteBuffer()
        for key in ["a", "b", "c"] { bytes.writeRESPCommand("GET", key) }
        let error = await #expect(throws: SocketIOError.self) {
            try await withUnsafeThrowingContinuation { continuation in
                handler.enqueue(
                    RESPOutboundRequest(bytes: bytes, reply: .awaitingBatch(continuation, count: 3), timeout: nil)
                )
                try! self.channel.writeInbound(ByteBuffer(string: "+A\r\n"))
                // Two elements still pending: each fails, and the batch's task must be resumed only once.
                self.channel.pipeline.fireChannelInactive()
            }
        }
        #expect(error?.code == .closedByPeer)
    }

    @Test func anEmptyAwaitedBatchReturnsAtOnce() async throws {
        let handler = try self.channel.pipeline.syncOperations.handler(type: RESPConnectionHandler.self)
        let replies = try await withUnsafeThrowingContinuation { continuation in
            handler.enqueue(
                RESPOutboundRequest(bytes: ByteBuffer(), reply: .awaitingBatch(continuation, count: 0), timeout: nil)
            )
        }
        #expect(replies.isEmpty)
    }

    // MARK: - Failure

    @Test func aPeerCloseFailsEveryPendingRequest() throws {
        let requests = try (0..<3).map { try self.send("GET", "k\($0)") }
        self.channel.pipeline.fireChannelInactive()
        #expect(requests.map(\.errorCode) == Array(repeating: .closedByPeer, count: 3))
        #expect(self.status.isUnhealthy)
    }

    @Test func malformedBytesFailPendingRequestsAsProtocolErrors() throws {
        let request = try self.send("PING")
        try self.channel.writeInbound(ByteBuffer(string: "?what\r\n"))
        #expect(request.errorCode == .protocolError)
        #expect(!self.channel.isActive)
    }

    @Test func aLocalCloseFailsPendingRequestsAsClosed() throws {
        let request = try self.send("PING")
        try self.channel.close().wait()
        #expect(request.errorCode == .connectionClosed)
    }

    // MARK: - Helpers

    private func send(_ arguments: String..., timeout: TimeAmount? = nil) throws -> Outcome<RESPToken> {
        let promise = self.channel.eventLoop.makePromise(of: RESPToken.self)
        let outcome = Outcome(promise.futureResult)
        var bytes = ByteBuffer()
        bytes.writeRESPCommand(arguments)
        self.write(RESPOutboundRequest(bytes: bytes, reply: .single(promise), timeout: timeout))
        return outcome
    }

    /// `writeOutbound` would wait for the flush, which the handler defers to the next loop tick.
    private func write(_ request: RESPOutboundRequest) {
        self.channel.writeAndFlush(request, promise: nil)
        self.channel.embeddedEventLoop.run()
    }

    private static func encoded(_ arguments: [String]) -> ByteBuffer {
        var bytes = ByteBuffer()
        bytes.writeRESPCommand(arguments)
        return bytes
    }
}
