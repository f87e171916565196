import Dispatch

/// A task executor that runs its jobs on a serial dispatch queue of its own, off Swift concurrency's cooperative
/// threads, so that a test body may block (sockets, child processes) without starving anything else.
///
/// ```swift
/// try await withTaskExecutorPreference(ProxyThreadExecutor(label: "test")) {
///     let reply = try socket.read(until: "\r\n", timeout: .seconds(5))  // blocks this queue only
///     #expect(reply == "+PONG\r\n")
/// }
/// ```
final class ProxyThreadExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        self.queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = self.asUnownedTaskExecutor()
        self.queue.async { job.runSynchronously(on: executor) }
    }
}
