import PoolCore

/// A manual clock for tests: time moves only with ``advance(by:)``, which resumes due sleepers in deadline
/// order. Nothing ever waits on real time.
///
/// ```swift
/// let clock = MockClock()
/// let pool = try ConnectionPool(configuration: configuration, factory: factory, clock: clock)
/// await clock.waitForSleepers(count: 1)
/// clock.advance(by: .seconds(1))
/// ```
public final class MockClock: Clock, Sendable {
    /// A point on the mock clock's timeline.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock was created.
        public var offset: Duration

        /// Creates an instant `offset` after the clock's origin.
        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }

        public var description: String { "MockClock.Instant(\(self.offset))" }
    }

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var sleeperWatchers:
            [(isSatisfied: @Sendable ([Instant]) -> Bool, continuation: CheckedContinuation<Void, Never>)] =
                []

        mutating func takeSatisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let deadlines = self.sleepers.map(\.deadline)
            let satisfied = self.sleeperWatchers.filter { $0.isSatisfied(deadlines) }.map(\.continuation)
            self.sleeperWatchers.removeAll { $0.isSatisfied(deadlines) }
            return satisfied
        }
    }

    private let state = LockedValue(State())

    /// Creates a clock at offset zero.
    public init() {}

    public var now: Instant { self.state.withLock { $0.now } }

    public var minimumResolution: Duration { .zero }

    /// Deadlines of the tasks sleeping now, earliest first.
    public var sleeperDeadlines: [Instant] {
        self.state.withLock { $0.sleepers.map(\.deadline).sorted() }
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = self.state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, watchers) = self.state.withLock { state in
                    if deadline <= state.now { return (true, [CheckedContinuation<Void, Never>]()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (false, state.takeSatisfiedWatchers())
                }
                if resumeNow { continuation.resume() }
                for watcher in watchers { watcher.resume() }
                // The cancellation handler may have run before the sleeper was registered.
                if Task.isCancelled { self.cancelSleeper(id: id) }
            }
        } onCancel: {
            self.cancelSleeper(id: id)
        }
    }

    private func cancelSleeper(id: UInt64) {
        let sleeper = self.state.withLock { state -> Sleeper? in
            guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
            return state.sleepers.remove(at: index)
        }
        sleeper?.continuation.resume(throwing: CancellationError())
    }

    /// Moves time forward and resumes every sleeper whose deadline has come, earliest deadline first.
    public func advance(by duration: Duration) {
        let due = self.state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once at least `count` tasks are sleeping on this clock.
    public func waitForSleepers(count: Int) async {
        await self.waitForSleepers { $0.count >= count }
    }

    /// Returns once some task sleeps until exactly `offset` after the clock's origin.
    public func waitForSleeper(until offset: Duration) async {
        await self.waitForSleepers { $0.contains(Instant(offset: offset)) }
    }

    private func waitForSleepers(where isSatisfied: @escaping @Sendable ([Instant]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state in
                if isSatisfied(state.sleepers.map(\.deadline)) { return true }
                state.sleeperWatchers.append((isSatisfied, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
