import CircuitBreaker
import LoadBalancer
import Logging
import NIOCore
import PoolCore
import PoolProxyConfig
import RESPCodec
import SocketIO

/// One server of a pool, as seen from one event loop: its multiplexed connections (`server_connections`), its
/// circuit breaker, its dedicated-connection pool and its counters.
///
/// Requests to a server that is down fail fast: while a reconnect is backing off, or while the breaker is open,
/// the client gets an `-ERR` naming the server and the reason at once, instead of waiting.
final class BackendServer {
    let index: Int
    let address: TwemproxyServer
    let endpoint: SocketEndpoint
    let runtime: ServerPoolRuntime
    let eventLoop: any EventLoop
    let flusher: LoopFlusher
    let tally = ServerTally()
    /// Dedicated connections, by protocol: index 0 speaks RESP2, index 1 RESP3.
    let dedicatedPools: [ConnectionPool<DedicatedConnection, ContinuousClock>]

    private let links = [MultiplexedLink(protocolVersion: 2), MultiplexedLink(protocolVersion: 3)]
    private var retryAt: UInt64 = 0
    private var lastFailure: String?
    private var backoff = ExponentialBackoff(base: .milliseconds(50), cap: .seconds(2))
    // Not optional: mutating through `breaker!` copies the whole state machine on every request.
    private var breaker: CircuitBreakerStateMachine
    private let isBreakerEnabled: Bool
    private let origin = NIODeadline.now().uptimeNanoseconds
    private var previousOutcomeFailed = false
    private var isStopped = false
    /// The server refused the set-up (AUTH, HELLO or SELECT) on the last connection: the next connection keeps
    /// the backoff until a request succeeds, so a wrong password cannot turn into a reconnect storm.
    private var setUpRejected = false

    static let maximumWaitingRequests = 65_536
    /// A cluster pool: replies may redirect (`MOVED`, `ASK`), so connections keep each request until answered.
    let isCluster: Bool
    /// The loop's pool, to find the server a redirect names. Set once, when the loop's servers are built.
    weak var loopPool: LoopPool?
    /// Run once by ``stop()``: breaks the reference cycle through the dedicated pools' dial closures.
    var onStop: (() -> Void)?

    init(
        index: Int,
        address: TwemproxyServer,
        runtime: ServerPoolRuntime,
        eventLoop: any EventLoop,
        flusher: LoopFlusher,
        dedicatedPools: [ConnectionPool<DedicatedConnection, ContinuousClock>]
    ) {
        self.index = index
        self.address = address
        self.endpoint = .tcp(host: address.host, port: address.port)
        self.runtime = runtime
        self.eventLoop = eventLoop
        self.flusher = flusher
        self.dedicatedPools = dedicatedPools
        self.isCluster = runtime.isCluster
        self.isBreakerEnabled = runtime.configuration.circuitBreaker != nil
        self.breaker = Self.makeBreaker(runtime.configuration.circuitBreaker ?? CircuitBreakerSettings())
    }

    private static func makeBreaker(_ settings: CircuitBreakerSettings) -> CircuitBreakerStateMachine {
        var configuration = CircuitBreakerConfiguration()
        configuration.slidingWindow = .countBased(calls: settings.windowSize)
        configuration.minimumNumberOfCalls = settings.minimumCalls
        configuration.failureRateThreshold = settings.failureRatePercent / 100
        configuration.openDuration = OpenDurationPolicy(
            initial: settings.openDuration,
            maximum: settings.maxOpenDuration
        )
        return CircuitBreakerStateMachine(configuration: configuration)
    }

    var name: String { self.runtime.serverNames[self.index] }

    /// The dedicated pool whose connections speak `protocolVersion`.
    func dedicatedPool(protocolVersion: Int) -> ConnectionPool<DedicatedConnection, ContinuousClock> {
        self.dedicatedPools[protocolVersion == 3 ? 1 : 0]
    }

    // MARK: - Sending

    /// Sends a request on a multiplexed connection of the client's protocol version (2 or 3). Returns the error
    /// reply to give the client at once when the server cannot take it.
    func send(
        _ request: ByteBuffer,
        to target: ReplyTarget,
        now: UInt64,
        protocolVersion: Int = 2,
        redirects: UInt8 = 0,
        asking: Bool = false
    ) -> ByteBuffer? {
        let link = self.links[protocolVersion == 3 ? 1 : 0]
        if link.ready.isEmpty, link.connecting == 0, now < self.retryAt {
            return self.unavailableReply(now: now)
        }
        var permit: CircuitBreakerPermitTag?
        if self.isBreakerEnabled {
            switch self.breaker.acquirePermit(at: self.elapsed(now)).decision {
            case .permitted(let tag):
                permit = tag
            case .notPermitted(let refusal):
                let retry = refusal.retryAfter.map { ", retrying in \($0.milliseconds) ms" } ?? ""
                return self.unavailable("circuit breaker open after repeated failures\(retry)")
            }
        }
        if let connection = link.pick() {
            // ASKING holds for the next command on the same connection only.
            if asking { connection.send(Self.asking, to: .discard, now: now) }
            connection.send(request, to: target, permit: permit, now: now, redirects: redirects)
            if link.ready.count + link.connecting < self.runtime.configuration.serverConnections {
                self.openConnection(link)
            }
            return nil
        }
        guard link.waiting.count < Self.maximumWaitingRequests else {
            return self.unavailable("too many requests waiting for a connection")
        }
        // Waiting requests all go to the first connection that opens, in order, so ASKING stays just before its request.
        if asking { link.waiting.append((Self.asking, .discard, nil)) }
        link.waiting.append((request, target, permit))
        self.tally.counts.inQueue &+= 1
        self.tally.counts.inQueueBytes &+= UInt64(request.readableBytes)
        if link.connecting == 0 { self.openConnection(link) }
        return nil
    }

    /// Opens the RESP2 multiplexed connections now rather than on first use (`preconnect`).
    func preconnect() {
        let link = self.links[0]
        while link.ready.count + link.connecting < self.runtime.configuration.serverConnections {
            self.openConnection(link)
        }
    }

    func stop() {
        self.isStopped = true
        self.onStop?()
        self.onStop = nil
        for link in self.links {
            for connection in link.ready { connection.close(.closedByProxy) }
            link.ready.removeAll()
        }
    }

    // MARK: - Outcomes

    func recordSuccess(_ request: PendingReply, now: UInt64) {
        self.runtime.latency.recordNanoseconds(now &- request.sentAt)
        if let permit = request.permit {
            let duration = Duration.nanoseconds(Int64(bitPattern: now &- request.sentAt))
            _ = self.breaker.record(.success, duration: duration, for: permit, at: self.elapsed(now))
        }
        if self.previousOutcomeFailed {
            // Successes reach the health monitor only after a failure: enough to reset its consecutive-failure
            // count, without taking its lock for every reply.
            self.previousOutcomeFailed = false
            if self.setUpRejected {
                self.setUpRejected = false
                self.backoff.reset()
            }
            self.runtime.health?.record(self.index, success: true)
        }
    }

    func recordFailure(_ permit: CircuitBreakerPermitTag?) {
        let now = NIODeadline.now().uptimeNanoseconds
        if let permit {
            _ = self.breaker.record(.failure, duration: .zero, for: permit, at: self.elapsed(now))
        }
        self.previousOutcomeFailed = true
        self.runtime.health?.record(self.index, success: false)
    }

    var breakerState: CircuitBreakerState? { self.isBreakerEnabled ? self.breaker.state : nil }

    /// Closes the breaker, once a health check has shown that the server answers again.
    func resetBreaker() {
        guard self.isBreakerEnabled else { return }
        _ = self.breaker.reset(at: self.elapsed(NIODeadline.now().uptimeNanoseconds))
    }

    // MARK: - Error replies

    func errorReply(_ failure: BackendFailure) -> ByteBuffer {
        ProxyReply.proxyError(
            "backend \(self.name) in pool '\(self.runtime.configuration.name)' failed: \(failure.reason)"
        )
    }

    func errorToken(_ failure: BackendFailure) -> RESPToken {
        try! RESPToken(validating: self.errorReply(failure))!
    }

    private func unavailable(_ reason: String) -> ByteBuffer {
        ProxyReply.proxyError(
            "backend \(self.name) in pool '\(self.runtime.configuration.name)' is unavailable: \(reason)"
        )
    }

    private func unavailableReply(now: UInt64) -> ByteBuffer {
        let retry = (self.retryAt &- now) / 1_000_000
        return self.unavailable("\(self.lastFailure ?? "not connected"); retrying in \(retry) ms")
    }

    private func elapsed(_ now: UInt64) -> Duration {
        .nanoseconds(Int64(bitPattern: now &- self.origin))
    }

    // MARK: - Connecting

    private func openConnection(_ link: MultiplexedLink) {
        guard !self.isStopped else { return }
        link.connecting += 1
        let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
        let boundLink = NIOLoopBound(link, eventLoop: self.eventLoop)
        let endpoint = self.endpoint
        let options = self.runtime.socketOptions
        let eventLoop = self.eventLoop
        let timeout = self.runtime.configuration.timeout
        self.runtime.spawn {
            do {
                let channel = try await SocketConnector.connect(
                    to: endpoint,
                    options: options,
                    eventLoopGroup: eventLoop
                ) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let server = bound.value
                        let connection = BackendConnection(server: server, flusher: server.flusher, timeout: timeout)
                        if server.runtime.socketOptions.tls != nil {
                            try channel.pipeline.syncOperations.addHandler(WriteCoalescingHandler())
                        }
                        try channel.pipeline.syncOperations.addHandler(connection)
                    }
                }
                eventLoop.execute { bound.value.connected(channel, link: boundLink.value) }
            } catch {
                eventLoop.execute { bound.value.connectFailed(error, link: boundLink.value) }
            }
        }
    }

    private func connected(_ channel: any Channel, link: MultiplexedLink) {
        guard let connection = try? channel.pipeline.syncOperations.handler(type: BackendConnection.self),
            !connection.isClosed
        else {
            // connectFailed counts this attempt as over; counting it here too once left `connecting` at -1, and
            // the link then never connected again while its requests waited forever.
            self.connectFailed(
                SocketIOError(.connectionClosed, "connection closed by the server during set-up"),
                link: link
            )
            return
        }
        link.connecting -= 1
        guard !self.isStopped else {
            connection.close(.closedByProxy)
            return
        }
        connection.onClose = { [unowned self, unowned link] connection, failure in
            self.connectionClosed(connection, failure, link: link)
        }
        self.sendHandshake(on: connection, protocolVersion: link.protocolVersion)
        link.ready.append(connection)
        if !self.setUpRejected {
            self.backoff.reset()
            self.lastFailure = nil
        }
        self.retryAt = 0
        let now = NIODeadline.now().uptimeNanoseconds
        while let (request, target, permit) = link.waiting.popFirst() {
            self.tally.counts.inQueue &-= 1
            self.tally.counts.inQueueBytes &-= UInt64(request.readableBytes)
            connection.send(request, to: target, permit: permit, now: now)
        }
        if link.ready.count + link.connecting < self.runtime.configuration.serverConnections {
            self.openConnection(link)
        }
        // Not inside a read burst: nothing else would flush what was just written.
        self.flusher.flushAll()
    }

    private func connectFailed(_ error: any Error, link: MultiplexedLink) {
        link.connecting -= 1
        // A cluster node that cannot be reached may have failed over: learn who serves its slots now.
        if self.isCluster { self.runtime.requestClusterRefresh(minimumInterval: .milliseconds(500)) }
        let description = (error as? SocketIOError).map { "\($0.message)" } ?? "\(error)"
        self.runtime.logConnectFailure(server: self.name, reason: description)
        self.lastFailure = description
        let delay = self.backoff.nextDelay()
        let now = NIODeadline.now().uptimeNanoseconds
        self.retryAt = now &+ UInt64(delay.nanoseconds)
        self.tally.counts.serverErrors &+= 1
        guard link.connecting == 0, link.ready.isEmpty else { return }
        let reply = self.unavailable("\(description)")
        var waiting = link.waiting
        link.waiting.removeAll()
        for (request, _, _) in waiting {
            self.tally.counts.inQueue &-= 1
            self.tally.counts.inQueueBytes &-= UInt64(request.readableBytes)
        }
        if waiting.isEmpty { self.recordFailure(nil) }
        while let (_, target, permit) = waiting.popFirst() {
            self.recordFailure(permit)
            switch target {
            case .client(let session, let sequence): session.receive(reply, sequence: sequence)
            case .fragment(let session, let sequence, let part):
                session.receiveFragment(try! RESPToken(validating: reply)!, sequence: sequence, part: part)
            case .handshake, .discard: break
            }
        }
        self.flusher.flushAll()
    }

    private func connectionClosed(_ connection: BackendConnection, _ failure: BackendFailure, link: MultiplexedLink) {
        link.ready.removeAll { $0 === connection }
        guard failure != .closedByProxy else { return }
        self.lastFailure = failure.reason
        if self.isCluster { self.runtime.requestClusterRefresh(minimumInterval: .milliseconds(500)) }
        if case .handshakeRejected(let command, let reply) = failure {
            self.setUpRejected = true
            let delay = self.backoff.nextDelay()
            self.retryAt = NIODeadline.now().uptimeNanoseconds &+ UInt64(delay.nanoseconds)
            self.tally.counts.serverErrors &+= 1
            self.recordFailure(nil)
            self.runtime.logSetUpRejected(server: self.name, command: command, reply: reply, retryIn: delay)
            return
        }
        self.runtime.logConnectionLost(server: self.name, reason: failure.reason)
    }

    /// AUTH (`redis_auth`), then HELLO for RESP3, then SELECT (`redis_db`): AUTH must come first when the server
    /// requires a password.
    private func sendHandshake(on connection: BackendConnection, protocolVersion: Int) {
        let now = NIODeadline.now().uptimeNanoseconds
        for command in self.runtime.handshakeCommands(protocolVersion: protocolVersion) {
            connection.send(command.bytes, to: .handshake(command: command.name), now: now)
        }
    }

    // MARK: - Dedicated connections

    /// Opens a connection for the dedicated pool, on this server's event loop, with the same set-up.
    static func dialDedicated(
        _ bound: NIOLoopBound<BackendServer>,
        endpoint: SocketEndpoint,
        options: SocketClientOptions,
        eventLoop: any EventLoop,
        protocolVersion: Int
    ) async throws -> DedicatedConnection {
        let channel = try await SocketConnector.connect(to: endpoint, options: options, eventLoopGroup: eventLoop) {
            channel in
            channel.eventLoop.makeCompletedFuture {
                let server = bound.value
                let connection = BackendConnection(server: server, flusher: server.flusher, timeout: nil)
                if server.runtime.socketOptions.tls != nil {
                    try channel.pipeline.syncOperations.addHandler(WriteCoalescingHandler())
                }
                try channel.pipeline.syncOperations.addHandler(connection)
            }
        }
        let handler = try await eventLoop.submit {
            let connection = try channel.pipeline.syncOperations.handler(type: BackendConnection.self)
            bound.value.sendHandshake(on: connection, protocolVersion: protocolVersion)
            connection.flush()
            return NIOLoopBound(connection, eventLoop: eventLoop)
        }.get()
        return DedicatedConnection(channel: channel, handler: handler)
    }
}
