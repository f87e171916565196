/// Which calls the closed breaker judges.
///
/// ```swift
/// let lastHundredCalls = SlidingWindowKind.countBased(calls: 100)
/// let lastTenSeconds = SlidingWindowKind.timeBased(buckets: 10, bucketWidth: .seconds(1))
/// ```
public enum SlidingWindowKind: Sendable, Hashable {
    /// The last `calls` recorded calls.
    case countBased(calls: Int)
    /// The calls of the last `buckets` time buckets of `bucketWidth` each. The newest bucket is still filling, so
    /// the window spans between `(buckets - 1) × bucketWidth` and `buckets × bucketWidth` of time.
    case timeBased(buckets: Int, bucketWidth: Duration)

    var bucketCount: Int {
        switch self {
        case .countBased(let calls): calls
        case .timeBased(let buckets, _): buckets
        }
    }
}
