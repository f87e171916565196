/// The totals of a sliding window at one moment.
///
/// ```swift
/// let snapshot = window.snapshot(elapsed: .seconds(3))
/// print(snapshot.failureRate)  // 0.0 ... 1.0
/// ```
public struct SlidingWindowSnapshot: Sendable, Hashable {
    /// Calls in the window (ignored calls are never recorded).
    public var calls: Int
    /// Failed calls in the window.
    public var failures: Int
    /// Calls in the window that took at least the slow-call duration threshold, failed or not.
    public var slowCalls: Int

    /// Creates a snapshot from raw totals.
    public init(calls: Int, failures: Int, slowCalls: Int) {
        self.calls = calls
        self.failures = failures
        self.slowCalls = slowCalls
    }

    /// `failures / calls`, or zero for an empty window.
    public var failureRate: Double {
        self.calls == 0 ? 0 : Double(self.failures) / Double(self.calls)
    }

    /// `slowCalls / calls`, or zero for an empty window.
    public var slowCallRate: Double {
        self.calls == 0 ? 0 : Double(self.slowCalls) / Double(self.calls)
    }
}
