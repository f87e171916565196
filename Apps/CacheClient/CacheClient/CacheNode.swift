import CircuitBreaker
import HealthMonitor
import NIOConcurrencyHelpers
import NIOCore
import PoolCore
import PoolMetrics
import PoolObservability
import RESPCodec
import SocketIO
import Synchronization

/// One Redis node: its pool, its circuit breaker, its availability and its series. Requests go through
/// ``send(_:)`` and ``send(_:count:)``, which fail fast when the node is held out or its breaker is open.
final class CacheNode: Sendable {
    let index: Int
    let server: CacheServer
    let name: String
    let endpoint: SocketEndpoint
    let pool: ConnectionPool<CacheConnection, ContinuousClock>
    let breaker: CircuitBreaker<ContinuousClock>?
    let probe: NodeProbe
    let poolMetrics: NodePoolObserver
    let breakerMetrics: CircuitBreakerMetrics?
    let breakerTrips: Counter
    let breakerResets: Counter
    let warmed: Gauge
    let available: Gauge
    let maxRetries: Int
    /// Read on every request; written only from health events, under ``availability``.
    private let routable = Atomic<Bool>(true)
    private let availability = NIOLockedValueBox(NodeAvailability())
    /// Set after a failed request, so that successes are reported to outlier detection only when they reset a
    /// failure streak: the monitor's lock is then off the hot path of a healthy node.
    private let failureStreak = Atomic<Bool>(false)
    private let dialState = NodeDialState()
    /// Receives request outcomes for passive outlier detection; `nil` when it is off.
    private let outlierDetection: HealthMonitor<Int, ContinuousClock>?

    init(
        index: Int,
        server: CacheServer,
        configuration: CacheClientConfiguration,
        connection: RESPConnectionConfiguration,
        metrics: CacheMetrics,
        probe: NodeProbe,
        outlierDetection: HealthMonitor<Int, ContinuousClock>?
    ) throws {
        self.index = index
        self.server = server
        self.name = server.description
        self.endpoint = .tcp(host: server.host, port: server.port)
        self.maxRetries = max(0, configuration.maxRetries)
        self.outlierDetection = outlierDetection
        self.probe = probe
        self.poolMetrics = try NodePoolObserver(registry: metrics.registry, pool: self.name)
        if configuration.circuitBreakerEnabled {
            self.breaker = CircuitBreaker(configuration: configuration.circuitBreaker, clock: ContinuousClock())
            self.breakerMetrics = try CircuitBreakerMetrics(registry: metrics.registry, breaker: self.name)
        } else {
            self.breaker = nil
            self.breakerMetrics = nil
        }
        self.breakerTrips = try metrics.breakerTrips.labels(self.name)
        self.breakerResets = try metrics.breakerResets.labels(self.name)
        self.warmed = try metrics.warmedConnections.labels(self.name)
        self.available = try metrics.nodeAvailable.labels(self.name)
        self.available.set(to: 1)

        var pool = ConnectionPoolConfiguration()
        pool.softMaximumConnections = max(1, configuration.poolSize)
        pool.hardMaximumConnections = max(1, configuration.poolSize)
        pool.minimumIdleConnections = min(max(0, configuration.minimumIdleConnections), pool.softMaximumConnections)
        pool.maximumLeasesPerConnection =
            configuration.loadBalancing ? max(1, configuration.maximumRequestsPerConnection) : 1
        pool.acquireTimeout = configuration.poolTimeout
        pool.idleTimeout = configuration.idleTimeout
        pool.housekeepingInterval = configuration.idleCheckFrequency
        pool.keepAliveInterval = configuration.idleCheckFrequency
        pool.dialBackoffMaximum = max(pool.dialBackoffInitial, configuration.reconnectBackoffMaximum)
        let endpoint = self.endpoint
        let dialState = self.dialState
        self.pool = try ConnectionPool(configuration: pool, observer: self.poolMetrics) {
            do {
                let connection = try await CacheConnection.connect(
                    to: endpoint,
                    configuration: connection,
                    id: dialState.nextID()
                )
                dialState.dialSucceeded()
                return connection
            } catch {
                dialState.dialFailed(error)
                throw error
            }
        }
    }

    // MARK: - Requests

    /// Sends one encoded command and returns its reply, failing fast with
    /// ``CacheError/unavailable(node:reason:)`` when the node is held out or its breaker refuses.
    func send(_ command: ByteBuffer) async throws -> RESPToken {
        try await self.send(command, startedAt: .now).reply
    }

    /// Sends one encoded command like ``send(_:)``; `start` is the caller's reading of the clock when its call
    /// began, and the result says when the reply arrived, so the pool, the breaker and the caller's own timing
    /// share two clock readings per request.
    func send(
        _ command: ByteBuffer,
        startedAt start: ContinuousClock.Instant
    ) async throws -> (reply: RESPToken, arrivedAt: ContinuousClock.Instant) {
        let (reply, arrivedAt) = try await self.perform(.one(command), startedAt: start)
        guard case .one(let token) = reply else { preconditionFailure("one command, one reply") }
        return (token, arrivedAt)
    }

    /// Sends `count` encoded commands in one write and returns their replies, failing fast like ``send(_:)``.
    func send(_ commands: ByteBuffer, count: Int) async throws -> [RESPToken] {
        let (reply, _) = try await self.perform(.batch(commands, count: count), startedAt: .now)
        guard case .batch(let tokens) = reply else { preconditionFailure("a batch, a batch of replies") }
        return tokens
    }

    /// What a pooled connection is asked to send.
    enum Request {
        case one(ByteBuffer)
        case batch(ByteBuffer, count: Int)
    }

    /// What it answered.
    enum Reply {
        case one(RESPToken)
        case batch([RESPToken])
    }

    /// Runs `request` on a pooled connection behind the node's availability and breaker, retrying retryable
    /// failures, and reports the outcome to the breaker (with the reply's arrival when there is one) and to
    /// outlier detection.
    ///
    /// Written out in one function, without closures or generic layers: every async function a request passes
    /// through costs its task an allocation, and that was the largest part of the client's overhead over a bare
    /// connection.
    private func perform(
        _ request: Request,
        startedAt start: ContinuousClock.Instant
    ) async throws -> (reply: Reply, arrivedAt: ContinuousClock.Instant) {
        let permit = try self.admit(at: start)
        var attempt = 0
        var attemptStart = start
        while true {
            do {
                let lease = try await self.pool.acquire(at: attemptStart)
                let reply: Reply
                do {
                    switch request {
                    case .one(let command):
                        reply = .one(try await lease.connection.connection.send(encoded: command))
                    case .batch(let commands, let count):
                        reply = .batch(try await lease.connection.connection.sendBatch(encoded: commands, count: count))
                    }
                } catch {
                    self.pool.release(lease, discard: !lease.connection.isUsable)
                    throw error
                }
                let arrivedAt = ContinuousClock.now
                self.pool.release(lease, at: arrivedAt)
                permit?.record(.success, at: arrivedAt)
                self.recordOutcome(success: true)
                return (reply, arrivedAt)
            } catch {
                if let failure = self.failure(error, attempt: &attempt, permit: permit) { throw failure }
                attemptStart = .now
            }
        }
    }

    /// The breaker's permit for a request starting at `start` (nil without a breaker); throws
    /// ``CacheError/unavailable(node:reason:)`` when the node is held out or the breaker refuses.
    private func admit(at start: ContinuousClock.Instant) throws -> CircuitBreaker<ContinuousClock>.Permit? {
        guard self.routable.load(ordering: .relaxed) else {
            throw CacheError.unavailable(
                node: self.name,
                reason: self.availability.withLockedValue { $0.refusal } ?? ""
            )
        }
        guard let breaker = self.breaker else { return nil }
        do {
            return try breaker.acquirePermit(at: start)
        } catch {
            throw CacheError.mapping(error, node: self.name)
        }
    }

    /// After a failed attempt: nil when it is to be retried (counted in `attempt`), otherwise the error to throw,
    /// with the outcome reported.
    private func failure(
        _ error: any Error,
        attempt: inout Int,
        permit: CircuitBreaker<ContinuousClock>.Permit?
    ) -> (any Error)? {
        if error is CancellationError {
            permit?.record(.ignored)
            return CancellationError()
        }
        if attempt < self.maxRetries, CacheError.isRetryable(error) {
            attempt += 1
            return nil
        }
        let mapped = CacheError.mapping(error, node: self.name)
        permit?.record(mapped.isNodeFailure ? .failure : .ignored)
        self.recordOutcome(success: !mapped.isNodeFailure)
        return mapped
    }

    private func recordOutcome(success: Bool) {
        guard let outlierDetection = self.outlierDetection else { return }
        if success {
            guard self.failureStreak.load(ordering: .relaxed) else { return }
            self.failureStreak.store(false, ordering: .relaxed)
        } else {
            self.failureStreak.store(true, ordering: .relaxed)
        }
        outlierDetection.record(self.index, success: success)
    }

    // MARK: - Health

    /// Applies a health change; requests see it at once.
    func apply(_ change: NodeAvailability.Change) {
        self.availability.withLockedValue { availability in
            availability.apply(change)
            self.routable.store(availability.isRoutable, ordering: .relaxed)
            self.available.set(to: availability.isRoutable ? 1 : 0)
        }
    }

    /// Whether requests may go to the node now.
    var isRoutable: Bool { self.routable.load(ordering: .relaxed) }

    /// Why the last dial failed, while dials fail.
    var dialError: String? { self.dialState.error }

    /// Counts trips and resets, and feeds the breaker's exported series.
    func observeBreaker() async {
        guard let breaker = self.breaker else { return }
        for await event in breaker.events {
            self.breakerMetrics?.record(event)
            guard case .stateTransition(let transition) = event else { continue }
            if transition.to == .open {
                self.breakerTrips.increment()
            } else if transition.to == .closed, transition.from != .closed {
                self.breakerResets.increment()
            }
        }
    }
}
