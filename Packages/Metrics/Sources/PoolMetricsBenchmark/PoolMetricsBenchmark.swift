import PoolMetrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures what recording costs next to a bare atomic increment, in one run. Build with `-c release`.
///
/// ```sh
/// swift run -c release --package-path Packages/Metrics PoolMetricsBenchmark [iterations]
/// ```
@main
struct PoolMetricsBenchmark {
    static func main() async {
        let arguments = CommandLine.arguments
        let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 20_000_000 : 20_000_000
        let rounds = 5

        let bare = BareAtomicBox()
        let counter = Counter(name: "bench_total")
        let gauge = Gauge(name: "bench")
        let histogram = LatencyHistogram(name: "bench_seconds")

        print("PoolMetrics benchmark: \(iterations) operations per round, best of \(rounds) rounds, 1 thread")
        let bareNanoseconds = Self.best(rounds) {
            Self.measure(iterations) { _ in bare.increment() }
        }
        let counterNanoseconds = Self.best(rounds) {
            Self.measure(iterations) { _ in counter.increment() }
        }
        let gaugeNanoseconds = Self.best(rounds) {
            Self.measure(iterations) { _ in gauge.increment() }
        }
        let histogramNanoseconds = Self.best(rounds) {
            Self.measure(iterations) { index in
                histogram.recordNanoseconds(UInt64(index & 0xFFFF) &* 1_531)
            }
        }
        let durationNanoseconds = Self.best(rounds) {
            Self.measure(iterations) { index in
                histogram.record(.nanoseconds(index & 0xFFFF &* 1_531))
            }
        }

        Self.report("bare atomic increment", bareNanoseconds, baseline: bareNanoseconds)
        Self.report("Counter.increment()", counterNanoseconds, baseline: bareNanoseconds)
        Self.report("Gauge.increment()", gaugeNanoseconds, baseline: bareNanoseconds)
        Self.report("LatencyHistogram.recordNanoseconds(_:)", histogramNanoseconds, baseline: bareNanoseconds)
        Self.report("LatencyHistogram.record(_: Duration)", durationNanoseconds, baseline: bareNanoseconds)

        let parallelIterations = iterations / 4
        print("")
        print(
            "2 tasks in parallel, \(parallelIterations) operations each, best of \(rounds) rounds "
                + "(wall time per operation)"
        )
        let sharedBare = BareAtomicBox()
        let parallelBare = await Self.bestParallel(rounds) {
            await Self.measureParallel(tasks: 2, iterations: parallelIterations) { _ in sharedBare.increment() }
        }
        let parallelCounter = await Self.bestParallel(rounds) {
            await Self.measureParallel(tasks: 2, iterations: parallelIterations) { _ in counter.increment() }
        }
        let parallelHistogram = await Self.bestParallel(rounds) {
            await Self.measureParallel(tasks: 2, iterations: parallelIterations) { index in
                histogram.recordNanoseconds(UInt64(index & 0xFFFF) &* 1_531)
            }
        }
        Self.report("bare atomic increment (one shared atomic)", parallelBare, baseline: parallelBare)
        Self.report("Counter.increment() (one shared counter)", parallelCounter, baseline: parallelBare)
        Self.report("LatencyHistogram.recordNanoseconds(_:)", parallelHistogram, baseline: parallelBare)

        let snapshot = histogram.snapshot()
        print("(histogram holds \(snapshot.count) values, p99 \(snapshot.p99); counter \(counter.value))")
        let counterRatio = counterNanoseconds / bareNanoseconds
        print(
            "targets: counter <= 2x bare atomic: \(counterRatio <= 2 ? "met" : "MISSED"); "
                + "histogram record <= 50 ns: \(histogramNanoseconds <= 50 ? "met" : "MISSED")"
        )
    }

    private static func best(_ rounds: Int, _ body: () -> Double) -> Double {
        var best = Double.infinity
        for _ in 0..<rounds { best = min(best, body()) }
        return best
    }

    private static func bestParallel(_ rounds: Int, _ body: @Sendable () async -> Double) async -> Double {
        var best = Double.infinity
        for _ in 0..<rounds { best = min(best, await body()) }
        return best
    }

    /// Wall-clock nanoseconds per operation of one task while `tasks` tasks run the loop at once.
    private static func measureParallel(
        tasks: Int,
        iterations: Int,
        _ operation: @escaping @Sendable (Int) -> Void
    ) async -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    for index in 0..<iterations { operation(index) }
                }
            }
        }
        let (seconds, attoseconds) = (clock.now - start).components
        return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(iterations)
    }

    /// Nanoseconds per operation.
    @inline(never)
    private static func measure(_ iterations: Int, _ operation: (Int) -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<iterations { operation(index) }
        let elapsed = clock.now - start
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        return nanoseconds / Double(iterations)
    }

    private static func report(_ label: String, _ nanoseconds: Double, baseline: Double) {
        let ratio = nanoseconds / baseline
        let padded = label + String(repeating: " ", count: max(0, 44 - label.count))
        print("\(padded) \(Self.twoDecimals(nanoseconds)) ns/op  \(Self.twoDecimals(ratio))x bare atomic")
    }

    private static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
