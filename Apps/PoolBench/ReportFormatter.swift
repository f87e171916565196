import Foundation

/// The final human-readable report: throughput with hits, misses and errors, then latency percentiles per command
/// (corrected and uncorrected in open loop), in milliseconds.
///
/// ```swift
/// print(ReportFormatter.table(result, header: "closed loop, 50 connections"))
/// ```
enum ReportFormatter {
    static func table(_ result: BenchResult, header: String? = nil) -> String {
        var lines: [String] = []
        lines.append(
            "Target \(result.target)" + (header.map { ", \($0)" } ?? "")
                + String(format: ", measured %.2f s", result.elapsed.secondsValue)
        )
        lines.append("")
        let rows = result.commands + [result.total]
        var throughput = [["Command", "Ops", "Ops/s", "Hits", "Misses", "Errors"]]
        for row in rows {
            throughput.append([
                row.name, "\(row.operations)", String(format: "%.0f", result.operationsPerSecond(of: row)),
                "\(row.hits)", "\(row.misses)", "\(row.errorCount)",
            ])
        }
        lines += Self.align(throughput, leftColumns: 1)
        lines.append("")

        let openLoop = result.total.uncorrected != nil
        var latency = [
            ["Command"] + (openLoop ? ["Latency"] : []) + [
                "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms",
            ]
        ]
        for row in rows {
            latency.append([row.name] + (openLoop ? ["corrected"] : []) + Self.cells(row.latency))
            if let uncorrected = row.uncorrected {
                latency.append([row.name, "uncorrected"] + Self.cells(uncorrected))
            }
        }
        lines += Self.align(latency, leftColumns: openLoop ? 2 : 1)

        let errorRows = rows.filter { !$0.errors.isEmpty && $0.name != "ALL" }
        if !errorRows.isEmpty {
            lines.append("")
            lines.append("Errors by type:")
            for row in errorRows {
                for (type, count) in row.errors.sorted(by: { $0.key < $1.key }) {
                    lines.append("  \(row.name) \(type): \(count)")
                }
            }
        }
        if result.unsent > 0 {
            lines.append("")
            lines.append(
                "Behind schedule: \(result.unsent) requests due before the end were not sent (the client or the target"
            )
            lines.append("could not keep up with --rate); they are in no figure above.")
        }
        if openLoop {
            lines.append("")
            lines.append(
                "Corrected latency counts from each request's intended send time (coordinated omission corrected);"
            )
            lines.append("uncorrected latency counts from when it was actually written.")
        }
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.3f", Double(duration.nanosecondsValue) / 1e6)
    }

    private static func cells(_ summary: LatencySummary) -> [String] {
        summary.percentiles.map { Self.milliseconds($0.value) } + [Self.milliseconds(summary.mean)]
    }

    /// Pads columns; the first `leftColumns` are left-aligned, the rest right-aligned.
    static func align(_ rows: [[String]], leftColumns: Int) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index < leftColumns ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingWhitespaceAtEnd()
        }
    }
}
