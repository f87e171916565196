import PoolCore

/// An observer that records every event and lets a test await one, so tests synchronise on events instead
/// of sleeping.
///
/// ```swift
/// let observer = RecordingObserver()
/// await observer.waitFor { if case .connectionOpened = $0 { true } else { false } }
/// ```
public final class RecordingObserver: ConnectionPoolObserver, Sendable {
    /// Decides whether an event is the one a test waits for.
    public typealias Predicate = @Sendable (ConnectionPoolEvent<Int>) -> Bool

    private struct State {
        var events: [ConnectionPoolEvent<Int>] = []
        var watchers: [(count: Int, predicate: Predicate, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = LockedValue(State())

    /// Creates an observer with no events.
    public init() {}

    /// Every event so far, oldest first.
    public var events: [ConnectionPoolEvent<Int>] { self.state.withLock { $0.events } }

    /// How many recorded events match `predicate`.
    public func count(where predicate: Predicate) -> Int {
        self.state.withLock { $0.events.filter(predicate).count }
    }

    public func connectionPool(didEmit event: ConnectionPoolEvent<Int>) {
        let ready = self.state.withLock { state in
            state.events.append(event)
            let events = state.events
            let ready = state.watchers.filter { watcher in events.filter(watcher.predicate).count >= watcher.count }
            state.watchers.removeAll { watcher in events.filter(watcher.predicate).count >= watcher.count }
            return ready.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once at least `count` recorded events match `predicate`, counting those already recorded.
    public func waitFor(count: Int = 1, _ predicate: @escaping Predicate) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state in
                if state.events.filter(predicate).count >= count { return true }
                state.watchers.append((count, predicate, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
