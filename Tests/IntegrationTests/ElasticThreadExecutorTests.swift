import Dispatch
import RedisTestSupport
import Testing

@Suite struct ElasticThreadExecutorTests {
    private final class ThreadCountRecord: @unchecked Sendable {
        // Written by one task before the semaphore is signalled, read after the group has finished.
        var value = 0
    }

    /// More blocked jobs than the machine has cores, and the one job that releases them still runs: on the
    /// cooperative pool the blocked ones would hold every thread and the release would never come.
    @Test func aJobRunsWhileEveryOtherWorkerIsBlocked() async {
        let blockedCount = 16
        let release = DispatchSemaphore(value: 0)
        let executor = ElasticThreadExecutor(idleTimeout: 1)
        let threadsWhileBlocked = ThreadCountRecord()
        let released = await withTaskExecutorPreference(executor) {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<blockedCount {
                    group.addTask { release.wait(timeout: .now() + .seconds(30)) == .success }
                }
                group.addTask {
                    threadsWhileBlocked.value = executor.threadCount
                    for _ in 0..<blockedCount { release.signal() }
                    return true
                }
                var released = 0
                for await wasReleased in group where wasReleased { released += 1 }
                return released
            }
        }
        #expect(released == blockedCount + 1)
        #expect(threadsWhileBlocked.value > blockedCount, "each blocked job had a thread of its own")
    }

    @Test(.blockingAllowed) func theBlockingAllowedTraitRunsTheTestOnTheSharedExecutor() {
        let preferred = withUnsafeCurrentTask { $0?.unownedTaskExecutor }
        #expect(preferred == ElasticThreadExecutor.shared.asUnownedTaskExecutor())
    }
}
