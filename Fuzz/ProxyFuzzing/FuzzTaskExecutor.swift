import Dispatch

/// A task executor that runs its jobs on a serial dispatch queue of its own, off Swift concurrency's cooperative
/// threads: the proxy under test runs its background tasks (backend connects) here, so that other tests blocking
/// the few cooperative threads of a test process cannot hold a fuzz input past its patience.
///
/// ```swift
/// let proxy = try await PoolProxy.start(configuration: configuration, taskExecutor: FuzzTaskExecutor(label: "fuzz"))
/// ```
final class FuzzTaskExecutor: TaskExecutor {
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
