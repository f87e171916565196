import Histogram

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An HDR latency histogram (3 significant digits, 1 µs to 60 s) that is cheap to record into from many threads.
///
/// Each thread records into its own shard, so recording takes a lock that nobody else holds; a read merges the
/// shards. Values above the highest trackable value are counted at that value, so no record is lost.
///
/// ```swift
/// let wait = LatencyHistogram(name: "pool_acquire_wait_seconds")
/// wait.record(.milliseconds(3))
/// let snapshot = wait.snapshot()
/// print(snapshot.count, snapshot.p99, snapshot.max)
/// ```
public final class LatencyHistogram: Sendable {
    /// The largest value kept apart from others: 60 s.
    public static let highestTrackable: Duration = .seconds(60)

    /// The exported name.
    public let name: String
    private let shards: [HistogramShard]
    private let shardMask: Int
    private let highestTrackableMicroseconds: UInt64

    /// Creates an empty histogram.
    ///
    /// - Parameters:
    ///   - name: The exported name.
    ///   - shardCount: How many independent recorders to keep; rounded up to a power of two. The default is one per
    ///     processor, doubled (at least two, at most sixteen).
    public init(name: String, shardCount: Int? = nil) {
        self.name = name
        let wanted = max(1, min(shardCount ?? Self.defaultShardCount(), 64))
        var count = 1
        while count < wanted { count <<= 1 }
        let highest = UInt64(Self.highestTrackable.components.seconds) * 1_000_000
        self.highestTrackableMicroseconds = highest
        self.shards = (0..<count).map { _ in HistogramShard(highestTrackableMicroseconds: highest) }
        self.shardMask = count - 1
    }

    /// How many shards this histogram records into.
    public var shardCount: Int { self.shards.count }

    /// Records one latency. Negative durations count as zero.
    @inlinable
    public func record(_ duration: Duration) {
        // Dividing the 128-bit count directly is cheaper than splitting it into `components`.
        let nanoseconds = duration.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else {
            self.recordNanoseconds(0)
            return
        }
        // About 126 years: far past the top, and small enough that the exact sum cannot wrap on one record.
        let cap: Int128 = 4_000_000_000_000_000_000
        self.recordNanoseconds(UInt64(nanoseconds < cap ? nanoseconds : cap))
    }

    /// Records one latency given in nanoseconds.
    @inlinable
    public func recordNanoseconds(_ nanoseconds: UInt64) {
        self.recordIntoShard(nanoseconds)
    }

    @usableFromInline
    func recordIntoShard(_ nanoseconds: UInt64) {
        let microseconds = min(nanoseconds / 1_000, self.highestTrackableMicroseconds)
        let shard = self.shards[ThreadStripe.current() & self.shardMask]
        shard.record(nanoseconds: nanoseconds, microseconds: microseconds)
    }

    /// Merges every shard into one consistent-enough view: each shard is read atomically, one after another.
    public func snapshot() -> HistogramSnapshot {
        var merged = Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: self.highestTrackableMicroseconds,
            numberOfSignificantValueDigits: .three
        )
        var sumNanoseconds: UInt64 = 0
        for shard in self.shards {
            shard.state.withLock { state in
                merged.add(state.histogram)
                sumNanoseconds &+= state.sumNanoseconds
            }
        }
        return HistogramSnapshot(histogram: merged, sumNanoseconds: sumNanoseconds)
    }

    /// Forgets every recorded value.
    public func reset() {
        for shard in self.shards {
            shard.state.withLock { state in
                state.histogram.reset()
                state.sumNanoseconds = 0
            }
        }
    }

    private static func defaultShardCount() -> Int {
        let processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(2, min(processors * 2, 16))
    }
}
