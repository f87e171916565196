import Foundation

/// A task executor that never makes a job wait behind a blocked one: when no worker thread is idle, it starts
/// another. Idle workers stop after a few seconds.
///
/// Swift concurrency's cooperative pool has one thread per core, two on the CI machine. Integration tests block
/// (they start `redis-server`, run `redis-cli`, make certificates with `openssl`), and a few of them blocking at once
/// used to stall every other test's tasks for seconds, so that their timeouts fired. ``BlockingAllowedTrait`` runs
/// tests here instead.
///
/// ```swift
/// try await withTaskExecutorPreference(ElasticThreadExecutor.shared) {
///     let server = try RedisServer.start()   // blocks one of this executor's threads, nobody else's
///     defer { server.stop() }
/// }
/// ```
public final class ElasticThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor the integration tests share.
    public static let shared = ElasticThreadExecutor(idleTimeout: 5)

    private let condition = NSCondition()
    private let idleTimeout: TimeInterval
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var nextJob = 0
    private var idleWorkers = 0
    private var workers = 0

    /// - Parameter idleTimeout: seconds an idle worker waits for a job before it stops.
    public init(idleTimeout: TimeInterval) {
        self.idleTimeout = idleTimeout
    }

    /// The number of worker threads, busy or idle.
    public var threadCount: Int {
        self.condition.lock()
        defer { self.condition.unlock() }
        return self.workers
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.condition.lock()
        self.jobs.append(job)
        // Every queued job needs a worker of its own that is idle or about to start; a worker that was signalled
        // but has not woken yet still counts as idle, so this may start one thread too many, never one too few.
        let startsWorker = self.jobs.count - self.nextJob > self.idleWorkers
        if startsWorker {
            self.workers += 1
        } else {
            self.condition.signal()
        }
        self.condition.unlock()
        if startsWorker {
            let thread = Thread { [self] in self.work() }
            thread.name = "elastic-executor"
            thread.start()
        }
    }

    private func work() {
        let executor = self.asUnownedTaskExecutor()
        self.condition.lock()
        while true {
            if self.nextJob < self.jobs.count {
                let job = self.jobs[self.nextJob]
                self.nextJob += 1
                if self.nextJob == self.jobs.count {
                    self.jobs.removeAll(keepingCapacity: true)
                    self.nextJob = 0
                } else if self.nextJob >= 1024 {
                    self.jobs.removeFirst(self.nextJob)
                    self.nextJob = 0
                }
                self.condition.unlock()
                job.runSynchronously(on: executor)
                self.condition.lock()
                continue
            }
            self.idleWorkers += 1
            let signalled = self.condition.wait(until: Date(timeIntervalSinceNow: self.idleTimeout))
            self.idleWorkers -= 1
            if !signalled && self.nextJob == self.jobs.count {
                self.workers -= 1
                self.condition.unlock()
                return
            }
        }
    }
}
