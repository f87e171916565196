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
    /// From the first measured request leaving to the last one leaving, over all connections: with the operation
    /// count, the send rate the client achieved.
    var sendSpan: Duration? = nil
    /// Open loop: requests scheduled before the end that were still waiting to be sent when it came, because the
    /// client or the target fell behind the schedule. They are in no other figure.
    var unsent: UInt64 = 0

    var operationsPerSecond: Double {
        let seconds = self.elapsed.secondsValue
        return seconds > 0 ? Double(self.total.operations) / seconds : 0
    }

    func operationsPerSecond(of row: CommandResult) -> Double {
        let seconds = self.elapsed.secondsValue
        return seconds > 0 ? Double(row.operations) / seconds : 0
    }
}
