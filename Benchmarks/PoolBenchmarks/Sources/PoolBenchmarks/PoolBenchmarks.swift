import Synchronization

/// Measures acquire+release throughput and latency for every pool on the same matrix, in one run.
@main
struct PoolBenchmarks {
    static let taskCounts = [1, 2, 8, 64]
    static let poolSizes = [1, 8, 64]
    static let batch = 64

    static func main() async throws {
        let cycles = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 400_000
        print("acquire+release, \(cycles) cycles per cell, latency = per-cycle mean of \(batch)-cycle batches")
        // Optional filters, for profiling one cell: BENCH_POOL=PoolCore BENCH_TASKS=1 BENCH_SIZE=8
        let environment = ProcessInfoLite.environment
        let names = ["bare Mutex floor", "PoolCore", "postgres-nio"].filter { environment["BENCH_POOL"] ?? $0 == $0 }
        let sizes = poolSizes.filter { environment["BENCH_SIZE"].flatMap(Int.init) ?? $0 == $0 }
        let taskCounts = taskCounts.filter { environment["BENCH_TASKS"].flatMap(Int.init) ?? $0 == $0 }
        var results: [ScenarioResult] = []
        for size in sizes {
            for tasks in taskCounts {
                for name in names {
                    let pool: any BenchmarkedPool =
                        switch name {
                        case "PoolCore": try await PoolCoreBenchmarkPool(size: size)
                        case "postgres-nio": try await PostgresBenchmarkPool(size: size)
                        default: FloorPool(size: size)
                        }
                    _ = try await measure(pool, tasks: tasks, cycles: cycles / 10)
                    var result = try await measure(pool, tasks: tasks, cycles: cycles)
                    await pool.shutdown()
                    result.pool = name
                    result.size = size
                    results.append(result)
                    print(format(result))
                }
            }
        }
        print()
        print(markdownTable(results))
    }

    static func measure(_ pool: any BenchmarkedPool, tasks: Int, cycles: Int) async throws -> ScenarioResult {
        let perTask = max(cycles / tasks / batch, 1) * batch
        let clock = ContinuousClock()
        let start = clock.now
        let samples = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var samples: [Double] = []
                    samples.reserveCapacity(perTask / batch)
                    for _ in 0..<(perTask / batch) {
                        let batchStart = clock.now
                        for _ in 0..<batch { try await pool.cycle() }
                        samples.append(nanoseconds(batchStart.duration(to: clock.now)) / Double(batch))
                    }
                    return samples
                }
            }
            var all: [Double] = []
            for try await samples in group { all += samples }
            return all.sorted()
        }
        let elapsed = nanoseconds(start.duration(to: clock.now))
        return ScenarioResult(
            pool: "",
            tasks: tasks,
            size: 0,
            operationsPerSecond: Double(perTask * tasks) / elapsed * 1e9,
            medianNanoseconds: samples[samples.count / 2],
            p99Nanoseconds: samples[min(samples.count - 1, samples.count * 99 / 100)]
        )
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }

    static func format(_ result: ScenarioResult) -> String {
        "pool \(result.size) tasks \(result.tasks) \(result.pool): "
            + "\(millions(result.operationsPerSecond)) M ops/s, median \(Int(result.medianNanoseconds)) ns, "
            + "p99 \(Int(result.p99Nanoseconds)) ns"
    }

    static func millions(_ value: Double) -> String {
        let scaled = (value / 1e4).rounded() / 100
        return "\(scaled)"
    }

    static func markdownTable(_ results: [ScenarioResult]) -> String {
        var lines = [
            "| pool size | tasks | implementation | M ops/s | median ns/cycle | p99 ns/cycle |",
            "| ---: | ---: | --- | ---: | ---: | ---: |",
        ]
        for result in results {
            lines.append(
                "| \(result.size) | \(result.tasks) | \(result.pool) | \(millions(result.operationsPerSecond)) | "
                    + "\(Int(result.medianNanoseconds)) | \(Int(result.p99Nanoseconds)) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}
