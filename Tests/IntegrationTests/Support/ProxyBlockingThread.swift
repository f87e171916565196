import Foundation

/// Runs blocking work (sockets, child processes, sleeps) on a thread of its own.
///
/// Tests must not block Swift concurrency's cooperative threads: on a 2-core machine there are only two, and the
/// in-process proxy needs them (its dedicated-connection pools run as tasks), so a test that waits on a socket there
/// can starve the very proxy it is waiting for.
///
/// ```swift
/// let reply = try await ProxyBlockingThread.run {
///     let socket = try ProxyRawSocket(port: port)
///     try socket.send("*1\r\n$4\r\nPING\r\n")
///     return try socket.read(until: "\r\n", timeout: .seconds(5))
/// }
/// ```
enum ProxyBlockingThread {
    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.start()
        }
    }

    /// Runs `body` in the calling task, but on a thread of its own (see ``ProxyThreadExecutor``): it may block, and
    /// `#expect` inside it still reports to the running test.
    static func perform<Value>(_ body: () async throws -> Value) async throws -> Value {
        try await withTaskExecutorPreference(ProxyThreadExecutor(label: "proxy-test-blocking")) {
            try await body()
        }
    }
}
