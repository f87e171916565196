import NIOConcurrencyHelpers
import NIOCore
import RESPCodec
import Testing

@testable import SocketIO

@Suite(.timeLimit(.minutes(1)))
struct RESPConnectionTests {
    // MARK: - Pipelining

    @Test func pipelinesTenThousandCommandsInOneBatch() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let connection = try await RESPConnection.connect(to: server.endpoint)

        let sets = (0..<10_000).map { ["SET", "key:\($0)", "value-\($0)"] }
        let setReplies = try await connection.sendBatch(sets)
        #expect(setReplies.count == 10_000)
        #expect(setReplies.allSatisfy { $0 == .simpleString("OK") })

        let gets = (0..<10_000).map { ["GET", "key:\($0)"] }
        let getReplies = try await connection.sendBatch(gets)
        #expect(getReplies == (0..<10_000).map { .bulkString("value-\($0)") })
        #expect(try await connection.send("DBSIZE") == .integer(10_000))
        await connection.close()
    }

    @Test func errorRepliesAreValuesInTheirSlot() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let connection = try await RESPConnection.connect(to: server.endpoint)

        let replies = try await connection.sendBatch([["SET", "text", "a"], ["INCR", "text"], ["GET", "text"]])
        #expect(replies.count == 3)
        #expect(replies[0] == .simpleString("OK"))
        guard case .simpleError(let message) = replies[1] else {
            Issue.record("expected an error reply, got \(replies[1])")
            return
        }
        #expect(String(buffer: message).hasPrefix("ERR"))
        #expect(replies[2] == .bulkString("a"))
        #expect(try await connection.sendBatch([]) == [])
        #expect(connection.isHealthy)
        await connection.close()
    }

    @Test func tenThousandConcurrentSendsGetTheirOwnReplies() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        // This checks which reply each caller gets, not how fast: under ThreadSanitizer on a busy machine the last
        // of 10,000 callers waited longer than the 5 s default.
        configuration.requestTimeout = .seconds(40)
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)

        let mismatches = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<10_000 {
                group.addTask {
                    try await connection.send("ECHO", "message-\(index)") == .bulkString("message-\(index)")
                }
            }
            return try await group.reduce(0) { count, matched in matched ? count : count + 1 }
        }
        #expect(mismatches == 0)
        #expect(connection.isHealthy)
        await connection.close()
    }

    // MARK: - Failure

    @Test func everyPendingRequestFailsWhenTheServerIsKilled() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.requestTimeout = nil  // only the peer's death may end these requests
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)

        let outcomes = Task {
            try await withThrowingTaskGroup(of: [Result<RESPValue, SocketIOError>].self) { group in
                group.addTask { [await Self.outcome { try await connection.send("DEBUG", "SLEEP", "5") }] }
                group.addTask {
                    do {
                        let replies = try await connection.sendBatch((0..<1_000).map { ["SET", "k\($0)", "v"] })
                        return replies.map { .success($0) }
                    } catch let error as SocketIOError {
                        return [.failure(error)]
                    }
                }
                for index in 0..<200 {
                    group.addTask { [await Self.outcome { try await connection.send("GET", "k\(index)") }] }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }
        // Let every request reach the socket while the server sleeps, then kill it.
        try await Task.sleep(for: .milliseconds(300))
        server.kill()

        let results = try await outcomes.value
        #expect(results.count == 202)
        for result in results {
            guard case .failure(let error) = result else {
                Issue.record("a request succeeded against a dead server: \(result)")
                continue
            }
            #expect(error.code == .closedByPeer)
        }
        #expect(!connection.isHealthy)
        let late = await #expect(throws: SocketIOError.self) { try await connection.send("PING") }
        #expect(late?.code == .closedByPeer)
    }

    @Test func aRequestTimeoutClosesTheConnectionAndFailsEveryPendingRequest() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.requestTimeout = .milliseconds(100)
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)

        async let slow = Self.outcome { try await connection.send("DEBUG", "SLEEP", "1") }
        async let queued = Self.outcome { try await connection.send(["PING"], timeout: .seconds(30)) }
        let (slowResult, queuedResult) = await (slow, queued)

        guard case .failure(let timeout) = slowResult, case .failure(let closed) = queuedResult else {
            Issue.record("expected both requests to fail: \(slowResult), \(queuedResult)")
            return
        }
        #expect(timeout.code == .requestTimeout)
        #expect(closed.code == .connectionClosed)
        try await connection.channel.closeFuture.get()
        #expect(!connection.isHealthy)
        let late = await #expect(throws: SocketIOError.self) { try await connection.send("PING") }
        #expect(late?.code == .connectionClosed)
    }

    @Test func malformedRepliesAreProtocolErrors() async throws {
        let fake = try await FakeRESPServer.start { _ in "?not resp\r\n" }
        let connection = try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: fake.port))

        let error = await #expect(throws: SocketIOError.self) { try await connection.send("PING") }
        #expect(error?.code == .protocolError)
        try await connection.channel.closeFuture.get()
        await fake.listener.close(gracePeriod: .zero)
    }

    // MARK: - Health

    @Test func anUnaskedReplyMakesTheConnectionUnhealthy() async throws {
        let fake = try await FakeRESPServer.start(greeting: "+surprise\r\n")
        let connection = try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: fake.port))

        try await Self.waitUntil { !connection.isHealthy }
        #expect(connection.channel.isActive)
        await connection.close()
        await fake.listener.close(gracePeriod: .zero)
    }

    @Test func aClosedPeerMakesTheConnectionUnhealthyWithoutARequest() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let connection = try await RESPConnection.connect(to: server.endpoint)
        #expect(connection.isHealthy)

        _ = try await RESPConnection.connect(to: server.endpoint).send("CLIENT", "KILL", "TYPE", "normal")
        try await Self.waitUntil { !connection.isHealthy }
        #expect(connection.failure?.code == .closedByPeer)
    }

    @Test func pushFramesGoToTheirHandlerAndNeverAnswerARequest() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let pushes = NIOLockedValueBox<[RESPValue]>([])
        var configuration = RESPConnectionConfiguration()
        configuration.handshake = RESPHandshake(protocolVersion: 3)
        configuration.onPush = { token in pushes.withLockedValue { $0.append(RESPValue(token)) } }
        let tracked = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        let writer = try await RESPConnection.connect(to: server.endpoint)

        #expect(try await tracked.send("CLIENT", "TRACKING", "ON") == .simpleString("OK"))
        #expect(try await tracked.send("GET", "watched") == .null)
        #expect(try await writer.send("SET", "watched", "changed") == .simpleString("OK"))
        try await Self.waitUntil { !pushes.withLockedValue { $0.isEmpty } }
        #expect(try await tracked.send("GET", "watched") == .bulkString("changed"))

        let expected: RESPValue = .push([.bulkString("invalidate"), .array([.bulkString("watched")])])
        #expect(pushes.withLockedValue { $0 } == [expected])
        #expect(tracked.isHealthy)
        await tracked.close()
        await writer.close()
    }

    @Test func anUnhandledPushMakesTheConnectionUnhealthy() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let tracked = try await RESPConnection.connect(
            to: server.endpoint,
            configuration: RESPConnectionConfiguration(handshake: RESPHandshake(protocolVersion: 3))
        )
        let writer = try await RESPConnection.connect(to: server.endpoint)

        _ = try await tracked.sendBatch([["CLIENT", "TRACKING", "ON"], ["GET", "watched"]])
        #expect(tracked.isHealthy)
        _ = try await writer.send("SET", "watched", "changed")
        try await Self.waitUntil { !tracked.isHealthy }
        #expect(try await tracked.send("GET", "watched") == .bulkString("changed"))
        await tracked.close()
        await writer.close()
    }

    // MARK: - Handshake

    @Test func handshakeAuthenticatesSelectsTheDatabaseAndNamesTheClient() async throws {
        let server = try await RedisTestServer.start(["--requirepass", "s3cret"])
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.handshake = RESPHandshake(password: "s3cret", database: 3, clientName: "socketio-test")
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)

        #expect(try await connection.send("CLIENT", "GETNAME") == .bulkString("socketio-test"))
        guard case .bulkString(let info?) = try await connection.send("CLIENT", "INFO") else {
            Issue.record("CLIENT INFO did not return a bulk string")
            return
        }
        #expect(String(buffer: info).contains(" db=3 "))
        await connection.close()
    }

    @Test func helloThreeSwitchesToRESP3AndAuthenticates() async throws {
        let server = try await RedisTestServer.start(["--requirepass", "s3cret"])
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.handshake = RESPHandshake(password: "s3cret", protocolVersion: 3)
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)

        _ = try await connection.send("HSET", "hash", "field", "value")
        let reply = try await connection.send("HGETALL", "hash")
        #expect(reply == .map([RESPValue.MapEntry(key: .bulkString("field"), value: .bulkString("value"))]))
        await connection.close()
    }

    @Test func aWrongPasswordIsRejectedWithoutEchoingIt() async throws {
        let server = try await RedisTestServer.start(["--requirepass", "s3cret"])
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.handshake = RESPHandshake(password: "wrong-guess")

        let error = await #expect(throws: SocketIOError.self) {
            try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        }
        #expect(error?.code == .handshakeRejected)
        #expect(error?.message.contains("WRONGPASS") == true)
        #expect(error?.message.contains("wrong-guess") == false)
    }

    // MARK: - Helpers

    static func outcome(_ body: () async throws -> RESPValue) async -> Result<RESPValue, SocketIOError> {
        do {
            return .success(try await body())
        } catch let error as SocketIOError {
            return .failure(error)
        } catch {
            return .failure(SocketIOError(.ioError, "unexpected \(error)"))
        }
    }

    /// Polls a condition that a real process or socket makes true, for at most five seconds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(condition())
    }
}
