/// One cell of `pool-bench pool`: a pool size and a number of concurrent callers, with what they achieved.
///
/// ```swift
/// let cell = PoolSweepCell(size: 4, concurrency: 16, operations: 40_000, seconds: 1, p99: .microseconds(900),
///                          reuseRate: 0.9999, created: 4)
/// print(PoolSweepCell.table([cell]))
/// ```
struct PoolSweepCell: Sendable, Equatable {
    var size: Int
    var concurrency: Int
    var operations: Int
    var seconds: Double
    /// Acquire, request and release, per operation.
    var p99: Duration
    /// Leases served by an idle connection rather than a new one (PoolCore's `reuseRate`).
    var reuseRate: Double
    var created: Int
    var errors = 0

    var operationsPerSecond: Double { self.seconds > 0 ? Double(self.operations) / self.seconds : 0 }

    static func table(_ cells: [PoolSweepCell]) -> String {
        var lines = ["  Size  Concurrency      Ops/s    p99 ms   Reuse %  Created  Errors"]
        for cell in cells {
            lines.append(
                String(
                    format: "%6d %12d %10.0f %9.3f %9.2f %8d %7d",
                    cell.size,
                    cell.concurrency,
                    cell.operationsPerSecond,
                    cell.p99.secondsValue * 1_000,
                    cell.reuseRate * 100,
                    cell.created,
                    cell.errors
                )
            )
        }
        return lines.joined(separator: "\n")
    }
}
