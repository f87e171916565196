import Foundation
import NIOCore
import NIOPosix
import RedisTestSupport
import Testing

@testable import PoolBench

/// pool-bench's engine against a real redis-server on a free loopback port; about a second per run, no speed checks.
@Suite(.blockingAllowed, .serialized) struct EngineIntegrationTests {
    private func configuration(
        _ mix: Workload.Mix,
        pattern: KeyPattern = .uniform,
        connections: Int = 4,
        length: BenchConfiguration.Length
    ) -> BenchConfiguration {
        let workload = Workload(
            keyPrefix: "bench:",
            keyRange: 0...999,
            keyPattern: pattern,
            dataSize: DataSize(16...64),
            mix: mix
        )
        var configuration = BenchConfiguration(workload: workload)
        configuration.connections = connections
        configuration.threads = 2
        configuration.length = length
        return configuration
    }

    @Test func closedAndOpenLoopAgainstRedis() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: server.port)])
        // Loops of its own: on the shared singleton, other suites' traffic could hold up the open-loop run's start
        // for its whole duration under a sanitizer, leaving every request unsent.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { group.shutdownGracefully { _ in } }

        // SET phase: four connections walk 250 keys each, so exactly the 1,000 keys exist afterwards.
        var setPhase = self.configuration(
            .ratio(RatioScheduler(sets: 1, gets: 0)),
            pattern: .sequential,
            length: .requests(1_000)
        )
        setPhase.pipeline = 8
        let sets = try await BenchEngine.run(setPhase, target: target, group: group)
        #expect(sets.total.operations == 1_000)
        #expect(sets.commands.map(\.name) == ["SET"])
        #expect(sets.total.errorCount == 0)
        #expect(try server.cli(["DBSIZE"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1000")

        // Closed loop, GETs over the same keys with a warm-up: all hits.
        var closed = self.configuration(.ratio(RatioScheduler(sets: 0, gets: 1)), length: .duration(.seconds(1)))
        closed.warmup = .milliseconds(200)
        closed.pipeline = 4
        let gets = try await BenchEngine.run(closed, target: target, group: group)
        let get = try #require(gets.commands.first { $0.name == "GET" })
        #expect(get.operations > 0)
        #expect(get.hits == get.operations)
        #expect(get.misses == 0)
        #expect(gets.total.errorCount == 0)
        #expect(gets.total.uncorrected == nil)
        #expect(gets.elapsed == .seconds(1))

        // Misses: keys outside the SET range.
        var missing = self.configuration(
            .template(try CommandTemplate(parsing: "GET nothing:__key__")),
            length: .requests(200)
        )
        missing.connections = 2
        let misses = try await BenchEngine.run(missing, target: target, group: group)
        #expect(misses.total.misses == 200)
        #expect(misses.total.hits == 0)

        // Open loop at 1,000 req/s for one second (longer under a sanitizer, `TestTime`): the schedule fixes the
        // count, whatever the latency. On a loaded machine the last few requests due may still be unsent at the
        // end; they are reported as such, not sent.
        let seconds = Int(TestTime.scale.rounded(.up))
        var open = self.configuration(
            .ratio(RatioScheduler(sets: 1, gets: 4)),
            length: .duration(.seconds(seconds))
        )
        open.rate = 1_000
        open.warmup = .milliseconds(100)
        let scheduled = try await BenchEngine.run(open, target: target, group: group)
        #expect(scheduled.total.operations + scheduled.unsent == 1_000 * seconds)
        #expect(scheduled.total.operations > 0)
        #expect(scheduled.total.errorCount == 0)
        let uncorrected = try #require(scheduled.total.uncorrected)
        #expect(uncorrected.count == scheduled.total.operations)
        #expect(scheduled.total.latency.count == scheduled.total.operations)
        let setRow = try #require(scheduled.commands.first { $0.name == "SET" })
        #expect(setRow.operations <= 200 * seconds && setRow.operations + scheduled.unsent >= 200 * seconds)
        #expect(scheduled.total.misses == 0)

        // Errors by type: LPUSH on a string value.
        let wrong = self.configuration(
            .template(try CommandTemplate(parsing: "LPUSH __key__ x")),
            length: .requests(50)
        )
        let errors = try await BenchEngine.run(wrong, target: target, group: group)
        #expect(errors.total.errors == ["WRONGTYPE": 50])
    }

    @Test func commandLineWritesJSONHDRAndPlot() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pool-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("out.json").path
        let hdr = directory.appendingPathComponent("out.hdr").path
        let plot = directory.appendingPathComponent("out.svg").path
        let command = try RunCommand.parse([
            "--server", "127.0.0.1:\(server.port)", "--clients", "2", "--threads", "1", "--requests", "300",
            "--ratio", "1:2", "--json", json, "--hdr", hdr, "--plot", plot, "--quiet",
        ])
        try await command.run()
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.runs.count == 1)
        #expect(report.runs[0].operations == 300)
        #expect(report.runs[0].errors == 0)
        #expect(report.settings.mode == "closed-loop")
        let hdrText = try String(contentsOfFile: hdr, encoding: .utf8)
        #expect(hdrText.hasPrefix("       Value     Percentile TotalCount 1/(1-Percentile)"))
        #expect(hdrText.contains("Total count    =          300]"))
        #expect(try String(contentsOfFile: plot, encoding: .utf8).contains("<polyline"))
    }

    @Test func compareRunsEveryTargetEveryRound() async throws {
        let first = try RedisServer.start()
        defer { first.stop() }
        let second = try RedisServer.start()
        defer { second.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pool-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("compare.json").path
        let command = try RunCommand.parse([
            "--compare", "127.0.0.1:\(first.port)", "127.0.0.1:\(second.port)", "--rounds", "2", "--clients", "2",
            "--threads", "1", "--requests", "100", "--json", json, "--quiet",
        ])
        try await command.run()
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        #expect(report.runs.map(\.round) == [1, 1, 2, 2])
        #expect(
            report.runs.map(\.target) == [
                "127.0.0.1:\(first.port)", "127.0.0.1:\(second.port)", "127.0.0.1:\(first.port)",
                "127.0.0.1:\(second.port)",
            ]
        )
        #expect(report.runs.allSatisfy { $0.operations == 100 && $0.errors == 0 })
        let comparison = try #require(report.comparison)
        #expect(comparison.count == 2)
        #expect(comparison[0].throughputRatio == 1)
    }
}
