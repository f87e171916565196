import Dispatch
import LoadBalancer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PoolProxyConfig
import PoolProxyKit
import RESPCodec

/// The process-wide setting of the fuzz harnesses: one event loop for the proxy, one for the scripted backend,
/// and the pool configuration every proxy under test runs.
///
/// Fuzz inputs run one at a time, from a thread that is not one of Swift's cooperative threads (libFuzzer's, or
/// a test's ``ProxyFuzzing`` call), so waiting here on the proxy's async API blocks nothing the proxy needs.
final class ProxyFuzzEnvironment: Sendable {
    static let shared: ProxyFuzzEnvironment = {
        do {
            return try ProxyFuzzEnvironment()
        } catch {
            fatalError("proxy fuzz environment: \(error)")
        }
    }()

    /// The largest bulk string a client may send: small, so that inputs of a few KB reach the limit.
    static let clientMaxBulkLength = 1 << 16

    let proxyGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// Where the proxies run their background tasks, off the cooperative threads that other tests may block.
    let proxyTasks = FuzzTaskExecutor(label: "proxy-fuzz-tasks")
    let backendGroup: MultiThreadedEventLoopGroup
    let backend: FuzzBackend
    /// The proxy ``ProxyRequestFuzzer`` shares between inputs; started on first use.
    private let sharedProxy = NIOLockedValueBox<(proxy: PoolProxy, port: Int)?>(nil)
    private let replyProxyState = NIOLockedValueBox<(running: (proxy: PoolProxy, port: Int)?, inputs: Int)>((nil, 0))

    private init() throws {
        let backendGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.backendGroup = backendGroup
        self.backend = try FuzzBackend.start(group: backendGroup, limits: Self.clientLimits)
    }

    /// The limits the proxy's client parser applies with ``clientMaxBulkLength``.
    static var clientLimits: RESPParser.Limits {
        var limits = RESPParser.Limits()
        limits.maximumBulkLength = Self.clientMaxBulkLength
        return limits
    }

    var configuration: ProxyConfiguration {
        var pool = ServerPoolConfiguration(name: "fuzz", listen: .tcp(host: "127.0.0.1", port: 0))
        pool.servers = [TwemproxyServer(host: "127.0.0.1", port: self.backend.port)]
        // Neither may fail requests fast on their own: every reply a client gets must follow from the backend's.
        pool.healthCheck = nil
        pool.circuitBreaker = nil
        pool.clientMaxBulkLength = Self.clientMaxBulkLength
        pool.dedicatedConnections = 4
        return ProxyConfiguration(pools: [pool])
    }

    /// A proxy of its own, for inputs whose effects must not reach the next one.
    func startProxy() throws -> (proxy: PoolProxy, port: Int) {
        let configuration = self.configuration
        let group = self.proxyGroup
        let tasks = self.proxyTasks
        let proxy = try Self.blocking {
            try await PoolProxy.start(
                configuration: configuration,
                eventLoopGroup: group,
                logger: Self.logger,
                taskExecutor: tasks
            )
        }
        return (proxy, proxy.localAddress(ofPool: "fuzz")?.port ?? 0)
    }

    func stopProxy(_ proxy: PoolProxy) {
        _ = try? Self.blocking { await proxy.shutdown(gracePeriod: .zero) }
    }

    /// The proxy ``ProxyReplyFuzzer`` shares between inputs, restarted when `restarting` or every
    /// ``replyProxyInputs`` inputs (starting and stopping a proxy costs memory that is only slowly given back).
    func replyProxy(restarting: Bool) throws -> Int {
        let current = self.replyProxyState.withLockedValue { state -> (proxy: PoolProxy, port: Int)? in
            state.inputs += 1
            guard !restarting, state.inputs <= Self.replyProxyInputs, let running = state.running else { return nil }
            return running
        }
        if let current { return current.port }
        if let old = self.replyProxyState.withLockedValue({ $0.running.take() }) { self.stopProxy(old.proxy) }
        let started = try self.startProxy()
        self.replyProxyState.withLockedValue {
            $0.running = started
            $0.inputs = restarting ? Self.replyProxyInputs : 1
        }
        return started.port
    }

    static let replyProxyInputs = 500

    /// Waits until the running proxies have seen the backend close every connection it closed.
    func awaitBackendConnectionsClosed() throws {
        guard let proxy = self.replyProxyState.withLockedValue({ $0.running?.proxy }) else { return }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let open = try Self.blocking { await proxy.twemproxyStats().pools[0].servers[0].serverConnections }
            if open == 0 { return }
        }
        throw ProxyFuzzFailure("the proxy still holds a backend connection the backend closed, after 10 seconds")
    }

    /// The proxy kept running between inputs.
    func shared() throws -> (proxy: PoolProxy, port: Int) {
        if let running = self.sharedProxy.withLockedValue({ $0 }) { return running }
        let started = try self.startProxy()
        self.sharedProxy.withLockedValue { $0 = started }
        return started
    }

    private static let logger: Logger = {
        var logger = Logger(label: "proxy-fuzz")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs async work to completion from a thread that may block.
    static func blocking<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = Outcome<Value>()
        Task {
            do {
                outcome.result = .success(try await body())
            } catch {
                outcome.result = .failure(error)
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        return try outcome.result!.get()
    }

    /// The semaphore orders the write of `result` before its read.
    private final class Outcome<Value>: @unchecked Sendable {
        var result: Result<Value, any Error>?
        let done = DispatchSemaphore(value: 0)
    }
}
