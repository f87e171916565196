@testable import HealthMonitor

/// A clock that only moves when a test advances it. Sleepers wake in deadline order during `advance`.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol, CustomStringConvertible {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - self.offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        var description: String { "t+\(self.offset)" }
    }

    private struct Sleeper {
        let id: UInt64
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Waiter {
        let deadline: Instant
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var waiters: [Waiter] = []
        var lastID: UInt64 = 0
    }

    private let state = LockedValue(State())

    var now: Instant { self.state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = self.state.withLock { state in
            state.lastID += 1
            return state.lastID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                self.state.withLock { state in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else if deadline <= state.now {
                        continuation.resume()
                    } else {
                        state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                        let sleeping = state.sleepers.count { $0.deadline == deadline }
                        state.waiters.removeAll { waiter in
                            guard waiter.deadline == deadline, waiter.count <= sleeping else { return false }
                            waiter.continuation.resume()
                            return true
                        }
                    }
                }
            }
        } onCancel: {
            self.state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return }
                state.sleepers.remove(at: index).continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        self.state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            for sleeper in due {
                sleeper.continuation.resume()
            }
        }
    }

    /// Moves time to `instant`.
    func advance(to instant: Instant) {
        self.advance(by: self.now.duration(to: instant))
    }

    /// Whether someone sleeps until exactly `deadline`.
    func hasSleeper(until deadline: Instant) -> Bool {
        self.state.withLock { $0.sleepers.contains { $0.deadline == deadline } }
    }

    /// Suspends until `count` tasks sleep until exactly `deadline`.
    func waitForSleepers(until deadline: Instant, count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            self.state.withLock { state in
                if state.sleepers.count(where: { $0.deadline == deadline }) >= count {
                    continuation.resume()
                } else {
                    state.waiters.append(Waiter(deadline: deadline, count: count, continuation: continuation))
                }
            }
        }
    }
}
