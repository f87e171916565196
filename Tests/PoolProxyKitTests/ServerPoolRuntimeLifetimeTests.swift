import LoadBalancer
import Logging
import NIOPosix
import PoolMetrics
import PoolProxyConfig
import Testing

@testable import PoolProxyKit

/// A stopped pool must be freed: a reload that replaces a pool stops the old one and forgets it, and anything that
/// still held it would keep its histograms, buffers and connections for the life of the process.
@Suite struct ServerPoolRuntimeLifetimeTests {
    @Test func aStoppedPoolIsFreed() async throws {
        var configuration = ServerPoolConfiguration(name: "lifetime", listen: .tcp(host: "127.0.0.1", port: 0))
        // Nothing listens on port 1: the pool starts and stops without ever reaching a backend.
        configuration.servers = [TwemproxyServer(host: "127.0.0.1", port: 1)]
        configuration.healthCheck = nil
        weak var freed: ServerPoolRuntime?
        do {
            let runtime = try ServerPoolRuntime(
                configuration: configuration,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: Logger(label: "test"),
                latency: LatencyHistogram(name: "lifetime")
            )
            freed = runtime
            try await runtime.start()
            #expect(runtime.localAddress != nil)
            await runtime.stop(gracePeriod: .zero)
        }
        // An event loop lets go of the closures it ran (the pool's `stop` on that loop, a listener's last
        // callbacks) when it finishes their batch, which may be just after their futures complete: two more
        // round trips on every loop, and those are gone.
        for _ in 0..<2 {
            for eventLoop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                try await eventLoop.submit {}.get()
            }
        }
        #expect(freed == nil, "the stopped pool is still referenced")
    }
}
