import Logging
import PoolProxyConfig

extension ProxyHarness {
    /// Starts a harness, runs `body`, and stops the proxy and its servers however `body` ends.
    ///
    /// ```swift
    /// try await ProxyHarness.with(backends: 1) { harness in
    ///     #expect(try harness.cli(["PING"]) == "PONG\n")
    /// }
    /// ```
    static func with<Result>(
        backends: Int = 1,
        redisArguments: [String] = [],
        logger: Logger? = nil,
        configure: (inout ServerPoolConfiguration) -> Void = { _ in },
        _ body: (ProxyHarness) async throws -> Result
    ) async throws -> Result {
        let harness = try await ProxyHarness.start(
            backends: backends,
            redisArguments: redisArguments,
            logger: logger,
            configure: configure
        )
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }
}
