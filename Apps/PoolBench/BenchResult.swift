/// One command's row of a run.
struct CommandResult: Sendable {
    let name: String
    let operations: UInt64
    let hits: UInt64
    let misses: UInt64
    /// Error type (the first word of an error reply, or a transport failure) to count.
    let errors: [String: UInt64]
    /// From the intended send time in open loop; from the actual send time in closed loop.
    let latency: LatencySummary
    /// From the actual send time; only in open loop.
    let uncorrected: LatencySummary?

    var errorCount: UInt64 { self.errors.values.reduce(0, +) }
}

/// The outcome of one run against one target, measured after the warm-up.
///
/// ```swift
/// let result = recorder.result(target: "127.0.0.1:6379", elapsed: .seconds(10))
/// print(ReportFormatter.table(result))
/// ```
struct BenchResult: Sendable {
    let target: String
    let elapsed: Duration
    let commands: [CommandResult]
    let total: CommandResult

    var operationsPerSecond: Double {
        let seconds = self.elapsed.secondsValue
        return seconds > 0 ? Double(self.total.operations) / seconds : 0
    }

    func operationsPerSecond(of row: CommandResult) -> Double {
        let seconds = self.elapsed.secondsValue
        return seconds > 0 ? Double(row.operations) / seconds : 0
    }
}
