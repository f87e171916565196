/// `--compare`: the median of each target's rounds and its ratio to the first target.
///
/// ```swift
/// let rows = CompareSummary.rows(targets: ["a", "b"], results: [[a1, a2, a3], [b1, b2, b3]])
/// print(CompareSummary.table(rows))
/// ```
enum CompareSummary {
    struct Row: Sendable, Equatable {
        var target: String
        var rounds: Int
        var medianOperationsPerSecond: Double
        var medianP50: Duration
        var medianP99: Duration
        /// Median ops/s divided by the first target's.
        var throughputRatio: Double
        /// Median p99 divided by the first target's.
        var p99Ratio: Double
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `results[i]` holds target i's rounds.
    static func rows(targets: [String], results: [[BenchResult]]) -> [Row] {
        var rows: [Row] = []
        for (target, rounds) in zip(targets, results) {
            let throughput = Self.median(rounds.map(\.operationsPerSecond))
            let p50 = Self.median(rounds.map { Double($0.total.latency.p50.nanosecondsValue) })
            let p99 = Self.median(rounds.map { Double($0.total.latency.p99.nanosecondsValue) })
            rows.append(
                Row(
                    target: target,
                    rounds: rounds.count,
                    medianOperationsPerSecond: throughput,
                    medianP50: .nanoseconds(Int64(p50)),
                    medianP99: .nanoseconds(Int64(p99)),
                    throughputRatio: 1,
                    p99Ratio: 1
                )
            )
        }
        guard let first = rows.first else { return rows }
        for index in rows.indices {
            rows[index].throughputRatio =
                first.medianOperationsPerSecond > 0
                ? rows[index].medianOperationsPerSecond / first.medianOperationsPerSecond : 0
            let baseP99 = Double(first.medianP99.nanosecondsValue)
            rows[index].p99Ratio = baseP99 > 0 ? Double(rows[index].medianP99.nanosecondsValue) / baseP99 : 0
        }
        return rows
    }

    static func table(_ rows: [Row]) -> String {
        var cells = [["Target", "Rounds", "Median ops/s", "Ratio", "Median p50 ms", "Median p99 ms", "p99 ratio"]]
        for row in rows {
            cells.append([
                row.target, "\(row.rounds)", String(format: "%.0f", row.medianOperationsPerSecond),
                String(format: "%.3f", row.throughputRatio), ReportFormatter.milliseconds(row.medianP50),
                ReportFormatter.milliseconds(row.medianP99), String(format: "%.3f", row.p99Ratio),
            ])
        }
        return ReportFormatter.align(cells, leftColumns: 1).joined(separator: "\n")
    }

    /// Per target, the median latency at each plotted percentile across its rounds.
    static func medianCurve(_ rounds: [BenchResult]) -> [(percentile: Double, microseconds: Double)] {
        guard let first = rounds.first else { return [] }
        let levels = LatencyPlot.points(HdrPercentileDistribution.points(first.total.latency.snapshot)).map(
            \.percentile
        )
        return levels.map { level in
            let values = rounds.map {
                Double($0.total.latency.snapshot.value(atPercentile: level).nanosecondsValue) / 1e3
            }
            return (level, Self.median(values))
        }
    }
}
