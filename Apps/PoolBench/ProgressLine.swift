import Foundation

/// The live status line on a terminal: ops/s over the last interval, p99 so far, elapsed and remaining time.
///
/// ```swift
/// ProgressLine.format(
///     operationsPerSecond: 81_234, p99: .microseconds(830), elapsed: .seconds(4), remaining: .seconds(26))
/// // "[  4.0s elapsed,  26.0s left]  81234 ops/s  p99 0.830 ms"
/// ```
enum ProgressLine {
    static func format(
        operationsPerSecond: Double,
        p99: Duration,
        elapsed: Duration,
        remaining: Duration?,
        phase: String? = nil
    ) -> String {
        let timing =
            remaining.map { String(format: "[%6.1fs elapsed, %6.1fs left]", elapsed.secondsValue, $0.secondsValue) }
            ?? String(format: "[%6.1fs elapsed]", elapsed.secondsValue)
        let prefix = phase.map { "\($0) " } ?? ""
        return prefix + timing
            + String(format: " %8.0f ops/s  p99 %@ ms", operationsPerSecond, ReportFormatter.milliseconds(p99))
    }

    /// True when standard error is a terminal; the progress line stays quiet otherwise (CI logs, pipes).
    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
