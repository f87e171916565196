import Testing

/// Runs a test, or every test of a suite, on ``ElasticThreadExecutor/shared`` instead of Swift concurrency's
/// cooperative threads, so that its blocking calls (child processes, `usleep`, blocking sockets) delay nobody else.
///
/// Tasks the test starts with `async let` or a task group run there too; unstructured `Task {}`s do not.
///
/// ```swift
/// @Suite(.blockingAllowed) struct RedisBackedTests {
///     @Test func setThenGet() async throws {
///         let server = try RedisServer.start()   // spawns and polls redis-server: blocks
///         defer { server.stop() }
///         #expect(try server.cli(["PING"]) == "PONG\n")
///     }
/// }
/// ```
public struct BlockingAllowedTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(ElasticThreadExecutor.shared) {
            try await function()
        }
    }
}

extension Trait where Self == BlockingAllowedTrait {
    /// See ``BlockingAllowedTrait``.
    public static var blockingAllowed: Self { Self() }
}
