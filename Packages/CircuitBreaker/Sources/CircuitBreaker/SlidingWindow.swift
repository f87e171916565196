/// A rolling window of call results with running totals, so recording and reading are O(1).
///
/// Both kinds share one ring of buckets. A count-based window gives every call its own bucket and so overwrites
/// the oldest call; a time-based window puts a call into the bucket of its time slot and clears the buckets that
/// time has passed over (at most once each, so O(1) amortised). Unlike a fixed (tumbling) window it never drops
/// all of its history at a boundary, so a short burst right after a boundary is judged against a full window.
///
/// ```swift
/// var window = SlidingWindow(.countBased(calls: 100))
/// window.record(failure: true, slow: false, elapsed: .zero)
/// window.snapshot(elapsed: .zero).failureRate  // 1.0
/// ```
public struct SlidingWindow: Sendable {
    private struct Bucket: Sendable {
        var calls = 0
        var failures = 0
        var slowCalls = 0
    }

    /// The kind and size of the window.
    public let kind: SlidingWindowKind
    private var buckets: [Bucket]
    private var totals = Bucket()
    private var newestEpoch: Int64 = 0
    private var recordedCalls: Int64 = 0
    private let bucketWidthNanoseconds: Int64

    /// Creates an empty window. Sizes and widths must be positive.
    public init(_ kind: SlidingWindowKind) {
        switch kind {
        case .countBased(let calls):
            precondition(calls > 0, "a count-based window needs at least one call")
            self.bucketWidthNanoseconds = 0
        case .timeBased(let buckets, let bucketWidth):
            precondition(buckets > 0, "a time-based window needs at least one bucket")
            precondition(bucketWidth.nanosecondsClamped > 0, "a time-based window needs a positive bucket width")
            self.bucketWidthNanoseconds = bucketWidth.nanosecondsClamped
        }
        self.kind = kind
        self.buckets = Array(repeating: Bucket(), count: kind.bucketCount)
    }

    /// Adds one call. `elapsed` is the time since the owner's origin; a count-based window ignores it.
    public mutating func record(failure: Bool, slow: Bool, elapsed: Duration) {
        let epoch: Int64
        if self.bucketWidthNanoseconds == 0 {
            epoch = self.recordedCalls
            self.recordedCalls += 1
        } else {
            epoch = self.epoch(elapsed: elapsed)
        }
        self.advance(to: epoch)
        let index = Int(self.newestEpoch % Int64(self.buckets.count))
        let failures = failure ? 1 : 0
        let slowCalls = slow ? 1 : 0
        self.buckets[index].calls += 1
        self.buckets[index].failures += failures
        self.buckets[index].slowCalls += slowCalls
        self.totals.calls += 1
        self.totals.failures += failures
        self.totals.slowCalls += slowCalls
    }

    /// The totals of the window; a time-based window first drops the buckets that have aged out by `elapsed`.
    public mutating func snapshot(elapsed: Duration) -> SlidingWindowSnapshot {
        if self.bucketWidthNanoseconds != 0 {
            self.advance(to: self.epoch(elapsed: elapsed))
        }
        return SlidingWindowSnapshot(
            calls: self.totals.calls,
            failures: self.totals.failures,
            slowCalls: self.totals.slowCalls
        )
    }

    /// Forgets every recorded call.
    public mutating func reset() {
        for index in self.buckets.indices {
            self.buckets[index] = Bucket()
        }
        self.totals = Bucket()
        self.newestEpoch = 0
        self.recordedCalls = 0
    }

    private func epoch(elapsed: Duration) -> Int64 {
        // A clock that steps back must not reopen buckets that were already cleared.
        max(self.newestEpoch, elapsed.nanosecondsClamped / self.bucketWidthNanoseconds)
    }

    private mutating func advance(to epoch: Int64) {
        guard epoch > self.newestEpoch else { return }
        let count = Int64(self.buckets.count)
        if epoch - self.newestEpoch >= count {
            for index in self.buckets.indices {
                self.buckets[index] = Bucket()
            }
            self.totals = Bucket()
        } else {
            var expired = self.newestEpoch + 1
            while expired <= epoch {
                let index = Int(expired % count)
                let bucket = self.buckets[index]
                self.totals.calls -= bucket.calls
                self.totals.failures -= bucket.failures
                self.totals.slowCalls -= bucket.slowCalls
                self.buckets[index] = Bucket()
                expired += 1
            }
        }
        self.newestEpoch = epoch
    }
}
