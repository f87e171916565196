import Foundation
import PoolMetrics
import Testing

@testable import PoolBench

@Suite struct ReportTests {
    /// 1,000 GETs at 1...1000 µs (uniform) and 10 SETs at 2 ms, open loop with uncorrected = corrected / 2.
    private func sampleResult(openLoop: Bool = false) -> BenchResult {
        let recorder = BenchRecorder(commandNames: ["SET", "GET"], openLoop: openLoop)
        for microseconds in UInt64(1)...1_000 {
            recorder.record(
                command: 1,
                intended: 0,
                sent: microseconds * 500,
                replied: microseconds * 1_000,
                outcome: microseconds % 10 == 0 ? .miss : .hit
            )
        }
        for _ in 0..<10 {
            recorder.record(command: 0, intended: 0, sent: 0, replied: 2_000_000, outcome: .reply)
        }
        recorder.recordError(command: 1, type: "ERR", count: 3)
        return recorder.result(target: "127.0.0.1:6379", elapsed: .seconds(2))
    }

    @Test func tableShowsThroughputHitsErrorsAndPercentiles() {
        let text = ReportFormatter.table(self.sampleResult(), header: "closed loop")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Target 127.0.0.1:6379, closed loop, measured 2.00 s")
        #expect(lines.contains { $0.hasPrefix("Command") && $0.hasSuffix("Errors") })
        #expect(lines.contains { $0.split(separator: " ") == ["GET", "1000", "500", "900", "100", "3"] })
        #expect(lines.contains { $0.split(separator: " ") == ["SET", "10", "5", "0", "0", "0"] })
        #expect(lines.contains { $0.split(separator: " ") == ["ALL", "1010", "505", "900", "100", "3"] })
        #expect(
            lines.contains {
                $0.split(separator: " ") == ["GET", "0.500", "0.900", "0.990", "0.999", "1.000", "0.500"]
            }
        )
        #expect(lines.contains("  GET ERR: 3"))
        #expect(!text.contains("uncorrected"))
    }

    @Test func openLoopTableHasBothLatencies() {
        let text = ReportFormatter.table(self.sampleResult(openLoop: true))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.split(separator: " ").prefix(3) == ["GET", "corrected", "0.500"] })
        #expect(lines.contains { $0.split(separator: " ").prefix(3) == ["GET", "uncorrected", "0.250"] })
    }

    @Test func hdrPercentileDistributionFormat() {
        let histogram = LatencyHistogram(name: "t", shardCount: 1)
        for microseconds in UInt64(1)...1_000 { histogram.recordNanoseconds(microseconds * 1_000) }
        let text = HdrPercentileDistribution.text(histogram.snapshot())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "       Value     Percentile TotalCount 1/(1-Percentile)")
        #expect(lines[1] == "")
        #expect(lines[2] == "       0.001 0.000000000000          1           1.00")
        #expect(lines[3] == "       0.100 0.100000000000        100           1.11")
        #expect(lines.contains("       0.500 0.500000000000        500           2.00"))
        #expect(lines.contains("       0.900 0.900000000000        900          10.00"))
        #expect(lines.contains("       1.000 1.000000000000       1000"))
        #expect(lines.contains("#[Mean    =        0.500, StdDeviation   =        0.289]"))
        #expect(lines.contains("#[Max     =        1.000, Total count    =         1000]"))
        #expect(lines.contains("#[Buckets =           16, SubBuckets     =         2048]"))
        // Levels after 50 % are 55, 60, ...; after 75 %, 77.5, 80, ... (five ticks per half distance).
        let percentiles = lines.compactMap { line -> Double? in
            let fields = line.split(separator: " ")
            return fields.count >= 3 && !line.hasPrefix("#") ? Double(fields[1]) : nil
        }
        #expect(percentiles.prefix(8) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6])
        #expect(percentiles.contains(0.775))
        #expect(percentiles.last == 1)
        #expect(zip(percentiles, percentiles.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func emptyHistogramHasNoPoints() {
        #expect(HdrPercentileDistribution.points(LatencyHistogram(name: "e").snapshot()).isEmpty)
    }

    @Test func jsonRoundTrips() throws {
        let result = self.sampleResult(openLoop: true)
        let settings = JSONReport.Settings(
            mode: "open-loop",
            rate: 1_000,
            connections: 4,
            threads: 2,
            pipeline: 1,
            requests: nil,
            durationSeconds: 2,
            warmupSeconds: 0,
            workload: "SET:GET 1:10",
            keyPattern: "R",
            keyRange: [0, 999],
            dataSize: "32",
            seed: 1
        )
        let report = JSONReport(version: "0.1.0", settings: settings, runs: [JSONReport.Run(result)], comparison: nil)
        let decoded = try JSONDecoder().decode(JSONReport.self, from: try report.encoded())
        let all = try #require(decoded.runs.first?.commands.last)
        #expect(all.name == "ALL")
        #expect(all.operations == 1_010)
        #expect(all.errors == ["ERR": 3])
        let get = try #require(decoded.runs.first?.commands.first { $0.name == "GET" })
        #expect(get.latency.p50Microseconds == 500)
        #expect(get.uncorrectedLatency?.p50Microseconds == 250)
        #expect(get.hits == 900)
        #expect(decoded.runs.first?.operationsPerSecond == 505)
        let object = try JSONSerialization.jsonObject(with: try report.encoded()) as? [String: Any]
        #expect(object?["tool"] as? String == "pool-bench")
    }

    @Test func svgHasOneLinePerSeriesAndPercentileAxis() throws {
        let result = self.sampleResult(openLoop: true)
        let svg = LatencyPlot.svg(title: "A <b>", series: RunCommand.plotSeries(result))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        // SET, GET and ALL, corrected and uncorrected.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 6)
        #expect(svg.contains(">99.9%</text>"))
        #expect(svg.contains(">90%</text>"))
        #expect(svg.contains("A &lt;b&gt;"))
        #expect(svg.contains("GET uncorrected"))
        #expect(LatencyPlot.x(percentile: 99) > 99.99 && LatencyPlot.x(percentile: 99) < 100.01)
        #expect(LatencyPlot.percentileLabel(5) == "99.999%")
    }

    @Test func compareTakesMediansAndRatios() {
        func run(_ target: String, operations: Int, latencyMicroseconds: UInt64) -> BenchResult {
            let recorder = BenchRecorder(commandNames: ["GET"], openLoop: false)
            for _ in 0..<operations {
                recorder.record(command: 0, intended: 0, sent: 0, replied: latencyMicroseconds * 1_000, outcome: .hit)
            }
            return recorder.result(target: target, elapsed: .seconds(1))
        }
        let a = [
            run("a", operations: 100, latencyMicroseconds: 100), run("a", operations: 300, latencyMicroseconds: 300),
            run("a", operations: 200, latencyMicroseconds: 200),
        ]
        let b = [
            run("b", operations: 100, latencyMicroseconds: 400), run("b", operations: 120, latencyMicroseconds: 500),
        ]
        let rows = CompareSummary.rows(targets: ["a", "b"], results: [a, b])
        #expect(rows[0].medianOperationsPerSecond == 200)
        #expect(rows[0].medianP99 == .microseconds(200))
        #expect(rows[0].throughputRatio == 1)
        #expect(rows[1].medianOperationsPerSecond == 110)
        #expect(rows[1].throughputRatio == 0.55)
        #expect(rows[1].medianP99 == .microseconds(450))
        #expect(rows[1].p99Ratio == 2.25)
        let table = CompareSummary.table(rows)
        #expect(table.contains("Median ops/s"))
        #expect(
            table.split(separator: "\n")[2].split(separator: " ") == [
                "b", "2", "110", "0.550", "0.450", "0.450", "2.250",
            ]
        )
        #expect(CompareSummary.median([3, 1, 2]) == 2)
        #expect(CompareSummary.median([]) == 0)
    }

    @Test func progressLine() {
        #expect(
            ProgressLine.format(
                operationsPerSecond: 81_234.4,
                p99: .microseconds(830),
                elapsed: .seconds(4),
                remaining: .seconds(26)
            ) == "[   4.0s elapsed,   26.0s left]    81234 ops/s  p99 0.830 ms"
        )
        #expect(
            ProgressLine.format(
                operationsPerSecond: 5,
                p99: .zero,
                elapsed: .seconds(1),
                remaining: nil,
                phase: "warm-up"
            )
                == "warm-up [   1.0s elapsed]        5 ops/s  p99 0.000 ms"
        )
    }

    @Test func suffixedPaths() {
        #expect(RunCommand.path("/tmp/a.hdr", suffix: "2") == "/tmp/a-2.hdr")
        #expect(RunCommand.path("out", suffix: "1").hasSuffix("out-1"))
    }
}
