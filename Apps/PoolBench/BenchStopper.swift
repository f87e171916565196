import NIOConcurrencyHelpers
import NIOCore

/// Ends a run early: ``stop()`` tells every connection of the runs watching it to stop issuing requests, so the
/// engine returns what it measured so far. Ctrl-C calls it.
///
/// ```swift
/// let stopper = BenchStopper()
/// async let result = BenchEngine.run(configuration, target: target, group: group, stopper: stopper)
/// stopper.stop()   // from a signal handler, a timer, a test
/// ```
final class BenchStopper: Sendable {
    private struct State {
        var stopped = false
        var stoppedAt: UInt64?
        var next = 0
        var observers: [Int: @Sendable () -> Void] = [:]
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    var isStopped: Bool { self.state.withLockedValue { $0.stopped } }

    /// When ``stop()`` was first called, on the uptime clock in nanoseconds.
    var stoppedAt: UInt64? { self.state.withLockedValue { $0.stoppedAt } }

    /// Calls every observer once; observers added later are called at once.
    func stop() {
        let observers = self.state.withLockedValue { state -> [@Sendable () -> Void] in
            guard !state.stopped else { return [] }
            state.stopped = true
            state.stoppedAt = NIODeadline.now().uptimeNanoseconds
            defer { state.observers = [:] }
            return Array(state.observers.values)
        }
        for observer in observers { observer() }
    }

    /// Returns a token for ``removeObserver(_:)``.
    @discardableResult
    func addObserver(_ observer: @escaping @Sendable () -> Void) -> Int {
        let token = self.state.withLockedValue { state -> Int? in
            guard !state.stopped else { return nil }
            state.next += 1
            state.observers[state.next] = observer
            return state.next
        }
        guard let token else {
            observer()
            return 0
        }
        return token
    }

    func removeObserver(_ token: Int) {
        self.state.withLockedValue { _ = $0.observers.removeValue(forKey: token) }
    }
}
