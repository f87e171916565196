import Foundation
import PoolMetrics

/// HdrHistogram's percentile distribution text (`outputPercentileDistribution`), which HdrHistogram's plotter and
/// wrk2's `--latency` output use: Value, Percentile, TotalCount and 1/(1-Percentile), then the `#[Mean ...]` footer.
///
/// Percentile levels advance in `ticksPerHalfDistance` steps per halving of the distance to 100 %, as HdrHistogram's
/// percentile iterator does. Values are in milliseconds (recorded in microseconds, scaled by 1000).
///
/// ```swift
/// let text = HdrPercentileDistribution.text(histogram.snapshot())
/// try text.write(toFile: "latency.hdr", atomically: true, encoding: .utf8)
/// ```
enum HdrPercentileDistribution {
    struct Point: Equatable {
        /// Microseconds.
        var value: UInt64
        /// 0 ... 100.
        var percentile: Double
        var totalCount: UInt64
    }

    /// The histogram's shape in PoolMetrics.LatencyHistogram: 1 µs to 60 s at 3 significant digits.
    static let subBucketCount = 2048
    static let bucketCount: Int = {
        var smallestUntrackable = UInt64(subBucketCount)
        var buckets = 1
        while smallestUntrackable <= 60_000_000 {
            smallestUntrackable <<= 1
            buckets += 1
        }
        return buckets
    }()

    /// The reporting points, ending with the 100 % line at the maximum.
    static func points(_ snapshot: HistogramSnapshot, ticksPerHalfDistance: Int = 5) -> [Point] {
        guard snapshot.count > 0 else { return [] }
        var points: [Point] = []
        var level = 0.0
        while true {
            let value = Self.microseconds(snapshot.value(atPercentile: level))
            let total = snapshot.count(atOrBelow: .microseconds(value))
            points.append(Point(value: value, percentile: level, totalCount: total))
            if total >= snapshot.count { break }
            let ticks = Double(ticksPerHalfDistance) * pow(2, (log2(100 / (100 - level))).rounded(.down) + 1)
            level += 100 / ticks
            if level >= 100 { break }
        }
        points.append(Point(value: Self.microseconds(snapshot.max), percentile: 100, totalCount: snapshot.count))
        return points
    }

    static func text(_ snapshot: HistogramSnapshot, ticksPerHalfDistance: Int = 5) -> String {
        let scale = 1000.0
        var output = "       Value     Percentile TotalCount 1/(1-Percentile)\n\n"
        let points = Self.points(snapshot, ticksPerHalfDistance: ticksPerHalfDistance)
        for point in points {
            if point.percentile < 100 {
                output += String(
                    format: "%12.3f %2.12f %10llu %14.2f\n",
                    Double(point.value) / scale,
                    point.percentile / 100,
                    point.totalCount,
                    1 / (1 - point.percentile / 100)
                )
            } else {
                output += String(
                    format: "%12.3f %2.12f %10llu\n",
                    Double(point.value) / scale,
                    1.0,
                    point.totalCount
                )
            }
        }
        let mean = Double(snapshot.mean.nanosecondsValue) / 1e3 / scale
        output += String(
            format: "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
            mean,
            Self.standardDeviation(snapshot) / scale
        )
        output += String(
            format: "#[Max     = %12.3f, Total count    = %12llu]\n",
            Double(Self.microseconds(snapshot.max)) / scale,
            snapshot.count
        )
        output += String(format: "#[Buckets = %12d, SubBuckets     = %12d]\n", Self.bucketCount, Self.subBucketCount)
        return output
    }

    /// Microseconds, estimated from the distribution at fine percentile steps (the snapshot keeps no raw values).
    static func standardDeviation(_ snapshot: HistogramSnapshot) -> Double {
        guard snapshot.count > 1 else { return 0 }
        let mean = Double(snapshot.mean.nanosecondsValue) / 1e3
        var previous: UInt64 = 0
        var previousValue: Double?
        var sum = 0.0
        // Each step's samples lie between the previous step's value and this one: take the midpoint.
        for point in Self.points(snapshot, ticksPerHalfDistance: 50) where point.totalCount > previous {
            let value = Double(point.value)
            let deviation = ((previousValue ?? value) + value) / 2 - mean
            sum += Double(point.totalCount - previous) * deviation * deviation
            previous = point.totalCount
            previousValue = value
        }
        return (sum / Double(snapshot.count)).squareRoot()
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.nanosecondsValue / 1000))
    }
}
