import Foundation

/// The machine-readable results written by `--json FILE`: latencies in microseconds, one object per command plus
/// `ALL`, and for `--compare` every round and the per-target medians.
///
/// ```swift
/// let report = JSONReport(settings: settings, runs: [result])
/// try report.encoded().write(to: URL(fileURLWithPath: "bench.json"))
/// ```
struct JSONReport: Codable, Sendable {
    struct Latency: Codable, Sendable, Equatable {
        var count: UInt64
        var meanMicroseconds: Double
        var p50Microseconds: Int64
        var p90Microseconds: Int64
        var p99Microseconds: Int64
        var p999Microseconds: Int64
        var maxMicroseconds: Int64

        init(_ summary: LatencySummary) {
            self.count = summary.count
            self.meanMicroseconds = Double(summary.mean.nanosecondsValue) / 1e3
            self.p50Microseconds = summary.p50.nanosecondsValue / 1000
            self.p90Microseconds = summary.p90.nanosecondsValue / 1000
            self.p99Microseconds = summary.p99.nanosecondsValue / 1000
            self.p999Microseconds = summary.p999.nanosecondsValue / 1000
            self.maxMicroseconds = summary.max.nanosecondsValue / 1000
        }
    }

    struct Command: Codable, Sendable {
        var name: String
        var operations: UInt64
        var operationsPerSecond: Double
        var hits: UInt64
        var misses: UInt64
        var errors: [String: UInt64]
        /// Corrected for coordinated omission in open loop; the plain round trip in closed loop.
        var latency: Latency
        var uncorrectedLatency: Latency?
    }

    struct Run: Codable, Sendable {
        var target: String
        var round: Int?
        var elapsedSeconds: Double
        var operations: UInt64
        var operationsPerSecond: Double
        var errors: UInt64
        /// Open loop: requests due before the end that were not sent (``BenchResult/unsent``).
        var unsent: UInt64
        var commands: [Command]

        init(_ result: BenchResult, round: Int? = nil) {
            self.target = result.target
            self.round = round
            self.elapsedSeconds = result.elapsed.secondsValue
            self.operations = result.total.operations
            self.operationsPerSecond = result.operationsPerSecond
            self.errors = result.total.errorCount
            self.unsent = result.unsent
            self.commands = (result.commands + [result.total]).map { row in
                Command(
                    name: row.name,
                    operations: row.operations,
                    operationsPerSecond: result.operationsPerSecond(of: row),
                    hits: row.hits,
                    misses: row.misses,
                    errors: row.errors,
                    latency: Latency(row.latency),
                    uncorrectedLatency: row.uncorrected.map(Latency.init)
                )
            }
        }
    }

    struct Settings: Codable, Sendable {
        var mode: String
        var rate: Double?
        var connections: Int
        var threads: Int
        var pipeline: Int
        var requests: Int?
        var durationSeconds: Double?
        var warmupSeconds: Double
        var workload: String
        var keyPattern: String
        var keyRange: [Int64]
        var dataSize: String
        var seed: UInt64
    }

    struct Comparison: Codable, Sendable {
        var target: String
        var rounds: Int
        var medianOperationsPerSecond: Double
        var medianP50Microseconds: Int64
        var medianP99Microseconds: Int64
        var throughputRatio: Double
        var p99Ratio: Double
    }

    static let toolVersion = "0.1.0"

    var tool = "pool-bench"
    var version = JSONReport.toolVersion
    var settings: Settings
    var runs: [Run]
    var comparison: [Comparison]?

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
