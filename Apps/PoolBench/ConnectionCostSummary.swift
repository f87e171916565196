/// What `pool-bench connect` reports: per-request latency with a new connection each time and with one reused
/// connection, the difference (what establishing a connection costs) and how much faster reuse is.
///
/// ```swift
/// let summary = ConnectionCostSummary(fresh: freshMicroseconds, pooled: pooledMicroseconds)
/// print(summary.fasterPercent)   // 85.0 means a pooled request takes 15 % of a fresh one's time
/// ```
struct ConnectionCostSummary: Sendable, Equatable {
    struct Stats: Sendable, Equatable {
        var count: Int
        var mean: Double
        var p50: Double
        var p99: Double

        /// Microsecond samples; an empty list gives zeros.
        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            self.count = sorted.count
            self.mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            self.p50 = Self.percentile(sorted, 50)
            self.p99 = Self.percentile(sorted, 99)
        }

        /// Nearest rank.
        static func percentile(_ sorted: [Double], _ percent: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
            return sorted[min(max(rank, 1), sorted.count) - 1]
        }
    }

    var fresh: Stats
    var pooled: Stats

    init(fresh: [Double], pooled: [Double]) {
        self.fresh = Stats(fresh)
        self.pooled = Stats(pooled)
    }

    /// Mean microseconds a new connection adds to a request.
    var establishmentMicroseconds: Double { self.fresh.mean - self.pooled.mean }

    /// `fresh / pooled` mean latency.
    var speedup: Double { self.pooled.mean > 0 ? self.fresh.mean / self.pooled.mean : 0 }

    /// How much less time a pooled request takes, in percent of a fresh one.
    var fasterPercent: Double { self.fresh.mean > 0 ? (1 - self.pooled.mean / self.fresh.mean) * 100 : 0 }

    /// The claim under test: pooling makes requests 80–90 % faster.
    var verdict: String {
        switch self.fasterPercent {
        case ..<80: String(format: "refuted: %.1f%% faster, below 80%%", self.fasterPercent)
        case 80...90: String(format: "reproduced: %.1f%% faster", self.fasterPercent)
        default: String(format: "exceeded: %.1f%% faster, above 90%%", self.fasterPercent)
        }
    }

    var table: String {
        var lines = [
            "Mode                        Requests   mean us    p50 us    p99 us"
        ]
        for (name, stats) in [("new connection per request", self.fresh), ("one pooled connection", self.pooled)] {
            lines.append(
                name.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: "%8d %9.1f %9.1f %9.1f", stats.count, stats.mean, stats.p50, stats.p99)
            )
        }
        lines.append("")
        lines.append(String(format: "connection establishment: %.1f us per request", self.establishmentMicroseconds))
        lines.append(String(format: "speedup with pooling: %.2fx", self.speedup))
        lines.append("claim \"pooling is 80-90% faster\": \(self.verdict)")
        return lines.joined(separator: "\n")
    }
}
