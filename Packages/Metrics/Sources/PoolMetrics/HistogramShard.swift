import Histogram

/// One stripe of a ``LatencyHistogram``: an HDR histogram and an exact sum behind an uncontended lock.
final class HistogramShard: Sendable {
    struct State: Sendable {
        var histogram: Histogram<UInt64>
        var sumNanoseconds: UInt64 = 0
    }

    let state: LockedValue<State>
    // Keeps neighbouring shards' lock words off one cache line.
    private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(highestTrackableMicroseconds: UInt64) {
        let histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: highestTrackableMicroseconds,
            numberOfSignificantValueDigits: .three
        )
        self.state = LockedValue(State(histogram: histogram))
    }

    @inline(__always)
    func record(nanoseconds: UInt64, microseconds: UInt64) {
        self.state.withLock { state in
            state.histogram.record(microseconds)
            state.sumNanoseconds &+= nanoseconds
        }
    }
}
