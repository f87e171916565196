import Logging
import NIOCore
import NIOPosix
import RESPCodec

/// A pipelined connection to a Redis server.
///
/// Any number of tasks may send at once: requests are written as they come and replies are matched to them in
/// FIFO order by a handler on the event loop, with no task or actor per request. A Redis error reply is a value
/// (``RESPValue/simpleError(_:)``), not a thrown error; only the transport throws ``SocketIOError``.
///
/// When a request outlives ``RESPConnectionConfiguration/requestTimeout``, the connection is closed: it fails
/// with `requestTimeout`, and every other pending request with `connectionClosed`. When the server goes away,
/// every pending request fails at once with `closedByPeer`.
///
/// RESP3 push frames (`>`) never answer a request. They go to ``RESPConnectionConfiguration/onPush`` if set, and
/// otherwise make ``isHealthy`` false. So `SUBSCRIBE`, `SSUBSCRIBE`, `PSUBSCRIBE` and `MONITOR` do not belong on a
/// `RESPConnection`: under RESP3 their confirmations are pushes (the `send` would wait for a reply that never comes),
/// under RESP2 their messages look like unasked replies. They need a dedicated subscriber connection.
///
/// Cancelling a task that awaits a reply does not withdraw the request: it stays in the pipeline so that later
/// replies still line up, and the task resumes when its reply, a timeout or a failure arrives.
///
/// ```swift
/// var configuration = RESPConnectionConfiguration()
/// configuration.handshake = RESPHandshake(password: "secret", database: 1)
/// let connection = try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: 6379),
///                                                   configuration: configuration)
/// _ = try await connection.send("SET", "greeting", "hello")
/// let replies = try await connection.sendBatch([["GET", "greeting"], ["INCR", "visits"]])
/// await connection.close()
/// ```
public final class RESPConnection: Sendable {
    /// The underlying channel.
    public let channel: any Channel
    private let status: RESPConnectionStatus
    private let requestTimeout: TimeAmount?
    /// Requests go to the handler directly, in one hop to the event loop (``submit(_:)``).
    private let handler: NIOLoopBound<RESPConnectionHandler>

    private init(
        channel: any Channel,
        handler: NIOLoopBound<RESPConnectionHandler>,
        status: RESPConnectionStatus,
        requestTimeout: Duration?
    ) {
        self.channel = channel
        self.handler = handler
        self.status = status
        self.requestTimeout = requestTimeout.map(TimeAmount.init)
    }

    /// Connects, runs the handshake, and returns a connection ready for requests.
    ///
    /// - Throws: ``SocketIOError``: `connectionRefused`, `addressResolutionFailed`, `connectTimeout`,
    ///   `tlsHandshakeFailed`, or `handshakeRejected` when the server refuses AUTH, HELLO, SELECT or SETNAME.
    public static func connect(
        to endpoint: SocketEndpoint,
        configuration: RESPConnectionConfiguration = RESPConnectionConfiguration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RESPConnection {
        let status = RESPConnectionStatus()
        var endpointLogger = configuration.logger
        endpointLogger[metadataKey: "redis.endpoint"] = "\(endpoint)"
        let logger = endpointLogger
        let channel = try await SocketConnector.connect(
            to: endpoint,
            options: configuration.socket,
            eventLoopGroup: eventLoopGroup
        ) { channel in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(
                    ByteToMessageHandler(RESPTokenDecoder(mode: .reply, limits: configuration.parserLimits))
                )
                try sync.addHandler(
                    RESPConnectionHandler(status: status, onPush: configuration.onPush, logger: logger)
                )
            }
        }
        let handler: NIOLoopBound<RESPConnectionHandler>
        do {
            handler = try await channel.eventLoop.submit {
                NIOLoopBound(
                    try channel.pipeline.syncOperations.handler(type: RESPConnectionHandler.self),
                    eventLoop: channel.eventLoop
                )
            }.get()
        } catch {
            // The handler is gone only once the channel has closed, and then the status says why: a server that
            // refuses the client's TLS certificate closes it right after the handshake.
            try? await channel.close()
            throw status.failure ?? SocketIOError.established(error)
        }
        let connection = RESPConnection(
            channel: channel,
            handler: handler,
            status: status,
            requestTimeout: configuration.requestTimeout
        )
        do {
            try await connection.performHandshake(configuration.handshake)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    // MARK: - State

    /// Whether the connection can take requests, judged without a round trip: `false` once the peer has closed,
    /// an error occurred, a request timed out, or a reply (or unhandled push) arrived that nobody asked for.
    public var isHealthy: Bool {
        self.channel.isActive && !self.status.isUnhealthy
    }

    /// Why the connection went down, once it has.
    public var failure: SocketIOError? {
        self.status.failure
    }

    /// Closes the connection. Pending requests fail with `connectionClosed`.
    public func close() async {
        try? await self.channel.close()
    }

    // MARK: - Single requests

    /// Sends one command and returns its reply.
    ///
    /// ```swift
    /// let pong = try await connection.send("PING")
    /// ```
    public func send(_ arguments: String...) async throws -> RESPValue {
        try await self.send(arguments)
    }

    /// Sends one command and returns its reply, waiting at most `timeout` (default: the configured one).
    public func send(_ arguments: [String], timeout: Duration? = nil) async throws -> RESPValue {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        buffer.writeRESPCommand(arguments)
        return RESPValue(try await self.send(encoded: buffer, timeout: timeout))
    }

    /// Sends one command whose arguments are already bytes.
    public func send(_ arguments: [ByteBuffer], timeout: Duration? = nil) async throws -> RESPValue {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        buffer.writeRESPCommand(arguments)
        return RESPValue(try await self.send(encoded: buffer, timeout: timeout))
    }

    /// Sends one already encoded command, for example the original bytes a proxy received, and returns the reply
    /// as wire bytes.
    public func send(encoded command: ByteBuffer, timeout: Duration? = nil) async throws -> RESPToken {
        let timeout = self.timeout(timeout)
        return try await withUnsafeThrowingContinuation { continuation in
            self.submit(RESPOutboundRequest(bytes: command, reply: .awaiting(continuation), timeout: timeout))
        }
    }

    // MARK: - Batches

    /// Writes every command with a single flush and returns their replies in order.
    ///
    /// ```swift
    /// let replies = try await connection.sendBatch((0..<100).map { ["INCR", "counter"] })
    /// ```
    public func sendBatch(_ commands: [[String]], timeout: Duration? = nil) async throws -> [RESPValue] {
        var buffer = self.channel.allocator.buffer(capacity: 32 * commands.count)
        for command in commands {
            buffer.writeRESPCommand(command)
        }
        return try await self.sendBatch(encoded: buffer, count: commands.count, timeout: timeout).map(RESPValue.init)
    }

    /// Writes `count` already encoded commands with a single flush and returns their replies as wire bytes.
    public func sendBatch(
        encoded commands: ByteBuffer,
        count: Int,
        timeout: Duration? = nil
    ) async throws
        -> [RESPToken]
    {
        let timeout = self.timeout(timeout)
        return try await withUnsafeThrowingContinuation { continuation in
            self.submit(
                RESPOutboundRequest(
                    bytes: commands,
                    reply: .awaitingBatch(continuation, count: count),
                    timeout: timeout
                )
            )
        }
    }

    // MARK: - Internals

    private func timeout(_ override: Duration?) -> TimeAmount? {
        override.map(TimeAmount.init) ?? self.requestTimeout
    }

    /// Hands `request` to the handler on the event loop.
    ///
    /// One hop, and the reply resumes the waiting task from the loop: a write through the channel and an awaited
    /// future took three (the write, the write's failure callback, the reply's callback), each taking the loop's
    /// task lock.
    private func submit(_ request: RESPOutboundRequest) {
        let handler = self.handler
        let eventLoop = self.channel.eventLoop
        if eventLoop.inEventLoop {
            handler.value.enqueue(request)
        } else {
            eventLoop.execute { handler.value.enqueue(request) }
        }
    }

    private func performHandshake(_ handshake: RESPHandshake) async throws {
        let commands = handshake.commands
        guard !commands.isEmpty else { return }
        let replies = try await self.sendBatch(commands)
        for (command, reply) in zip(commands, replies) {
            let message: ByteBuffer
            switch reply {
            case .simpleError(let text), .bulkError(let text): message = text
            default: continue
            }
            // Never echo the arguments: they may hold the password.
            let name = command.first == "CLIENT" ? command.prefix(2).joined(separator: " ") : command[0]
            throw SocketIOError(.handshakeRejected, "\(name) failed: \(String(buffer: message))")
        }
    }
}
