import NIOConcurrencyHelpers
import PoolMetrics

/// Where every connection records its replies: HDR histograms per command (corrected and uncorrected), counters for
/// operations, hits and misses, and a tally of errors by type. Safe to share across event loops; recording is a few
/// relaxed atomics and one uncontended lock per histogram.
///
/// ```swift
/// let recorder = BenchRecorder(commandNames: ["SET", "GET"], openLoop: true)
/// recorder.record(command: 1, intended: 1_000, sent: 5_000, replied: 9_000, outcome: .hit)
/// let result = recorder.result(target: "127.0.0.1:6379", elapsed: .seconds(1))
/// ```
final class BenchRecorder: Sendable {
    enum Outcome: Sendable, Equatable {
        case hit
        case miss
        /// A reply that is neither a hit nor a miss (SET's +OK, for instance).
        case reply
        case error(String)
    }

    let commandNames: [String]
    let openLoop: Bool
    let corrected: [LatencyHistogram]
    let uncorrected: [LatencyHistogram]
    let allCorrected: LatencyHistogram
    let allUncorrected: LatencyHistogram
    private let operations: [Counter]
    private let hits: [Counter]
    private let misses: [Counter]
    private let errors: NIOLockedValueBox<[Int: [String: UInt64]]>
    private let sends: NIOLockedValueBox<ClosedRange<UInt64>?>
    private let unsent: NIOLockedValueBox<UInt64>

    init(commandNames: [String], openLoop: Bool) {
        self.commandNames = commandNames
        self.openLoop = openLoop
        self.corrected = commandNames.map { LatencyHistogram(name: $0) }
        self.uncorrected = commandNames.map { LatencyHistogram(name: $0 + "_uncorrected") }
        self.allCorrected = LatencyHistogram(name: "all")
        self.allUncorrected = LatencyHistogram(name: "all_uncorrected")
        self.operations = commandNames.map { Counter(name: $0) }
        self.hits = commandNames.map { Counter(name: $0 + "_hits") }
        self.misses = commandNames.map { Counter(name: $0 + "_misses") }
        self.errors = NIOLockedValueBox([:])
        self.sends = NIOLockedValueBox(nil)
        self.unsent = NIOLockedValueBox(0)
    }

    /// Open loop: requests one connection had scheduled before the end but had not sent when the end came.
    func recordUnsent(_ count: UInt64) {
        self.unsent.withLockedValue { $0 += count }
    }

    /// One connection's first and last measured send times, reported once when it finishes.
    func recordSends(_ span: ClosedRange<UInt64>) {
        self.sends.withLockedValue { current in
            current = current.map { min($0.lowerBound, span.lowerBound)...max($0.upperBound, span.upperBound) } ?? span
        }
    }

    /// Records one reply. Times are nanoseconds on one monotonic clock; in closed loop `intended == sent`.
    func record(command: Int, intended: UInt64, sent: UInt64, replied: UInt64, outcome: Outcome) {
        let correctedLatency = OpenLoopSchedule.correctedLatency(intended: intended, replied: replied)
        self.corrected[command].recordNanoseconds(correctedLatency)
        self.allCorrected.recordNanoseconds(correctedLatency)
        if self.openLoop {
            let serviceTime = replied > sent ? replied - sent : 0
            self.uncorrected[command].recordNanoseconds(serviceTime)
            self.allUncorrected.recordNanoseconds(serviceTime)
        }
        self.operations[command].increment()
        switch outcome {
        case .hit: self.hits[command].increment()
        case .miss: self.misses[command].increment()
        case .reply: break
        case .error(let type): self.recordError(command: command, type: type)
        }
    }

    /// An error with no reply (a dropped connection, say): counted, but no latency.
    func recordError(command: Int, type: String, count: UInt64 = 1) {
        self.errors.withLockedValue { $0[command, default: [:]][type, default: 0] += count }
    }

    var totalOperations: UInt64 { self.operations.reduce(0) { $0 + $1.value } }

    func result(target: String, elapsed: Duration) -> BenchResult {
        let errors = self.errors.withLockedValue { $0 }
        var rows: [CommandResult] = []
        for (index, name) in self.commandNames.enumerated() {
            let row = CommandResult(
                name: name,
                operations: self.operations[index].value,
                hits: self.hits[index].value,
                misses: self.misses[index].value,
                errors: errors[index] ?? [:],
                latency: LatencySummary(self.corrected[index].snapshot()),
                uncorrected: self.openLoop ? LatencySummary(self.uncorrected[index].snapshot()) : nil
            )
            if row.operations > 0 || !row.errors.isEmpty { rows.append(row) }
        }
        var allErrors: [String: UInt64] = [:]
        for perCommand in errors.values {
            for (type, count) in perCommand { allErrors[type, default: 0] += count }
        }
        let total = CommandResult(
            name: "ALL",
            operations: rows.reduce(0) { $0 + $1.operations },
            hits: rows.reduce(0) { $0 + $1.hits },
            misses: rows.reduce(0) { $0 + $1.misses },
            errors: allErrors,
            latency: LatencySummary(self.allCorrected.snapshot()),
            uncorrected: self.openLoop ? LatencySummary(self.allUncorrected.snapshot()) : nil
        )
        var result = BenchResult(target: target, elapsed: elapsed, commands: rows, total: total)
        if let sends = self.sends.withLockedValue({ $0 }) {
            result.sendSpan = .nanoseconds(Int64(sends.upperBound - sends.lowerBound))
        }
        result.unsent = self.unsent.withLockedValue { $0 }
        return result
    }
}
