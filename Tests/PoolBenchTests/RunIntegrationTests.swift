import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import RedisTestSupport
import Testing

@testable import PoolBench

/// What the run promises, checked against a real redis-server on a free loopback port: every request gets its
/// reply, the ratio holds, open loop keeps its rate, the files parse, failures end the run cleanly.
@Suite(.blockingAllowed, .serialized) struct RunIntegrationTests {
    private func configuration(
        _ mix: Workload.Mix,
        connections: Int = 4,
        length: BenchConfiguration.Length
    ) -> BenchConfiguration {
        let workload = Workload(
            keyPrefix: "run:",
            keyRange: 0...9_999,
            keyPattern: .uniform,
            dataSize: DataSize(8...32),
            mix: mix
        )
        var configuration = BenchConfiguration(workload: workload)
        configuration.connections = connections
        configuration.threads = 2
        configuration.length = length
        return configuration
    }

    /// `cmdstat_get:calls=12,...` lines of `INFO commandstats`, by lower-case command name.
    private func commandCalls(_ server: RedisServer) throws -> [String: Int] {
        var calls: [String: Int] = [:]
        for line in try server.cli(["INFO", "commandstats"]).split(whereSeparator: \.isNewline) {
            guard line.hasPrefix("cmdstat_"), let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 8)..<colon])
            let fields = line[line.index(after: colon)...].split(separator: ",")
            if let field = fields.first(where: { $0.hasPrefix("calls=") }), let count = Int(field.dropFirst(6)) {
                calls[name] = count
            }
        }
        return calls
    }

    @Test func everyRequestIsAnsweredAndTheRatioHolds() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: server.port)])
        _ = try server.cli(["CONFIG", "RESETSTAT"])

        var run = self.configuration(.ratio(RatioScheduler(sets: 1, gets: 10)), length: .requests(22_000))
        run.pipeline = 8
        let result = try await BenchEngine.run(run, target: target, group: MultiThreadedEventLoopGroup.singleton)

        // Sent (what the server executed) equals received (what the engine recorded), request for request.
        let calls = try self.commandCalls(server)
        let sets = try #require(calls["set"])
        let gets = try #require(calls["get"])
        #expect(sets + gets == 22_000)
        #expect(result.total.operations == 22_000)
        #expect(result.total.errorCount == 0)
        #expect(result.commands.first { $0.name == "SET" }?.operations == UInt64(sets))
        #expect(result.commands.first { $0.name == "GET" }?.operations == UInt64(gets))
        #expect(result.total.hits + result.total.misses == UInt64(gets))
        // 1:10 within 1 %, counted on the server.
        #expect(abs(Double(sets) / Double(gets) / 0.1 - 1) <= 0.01, "SET \(sets), GET \(gets)")
    }

    /// Takes five seconds by design: the schedule is checked over a span long enough to average out timer jitter.
    @Test func openLoopHoldsItsRateOverFiveSeconds() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: server.port)])
        let rate = 2_000.0
        var run = self.configuration(.ratio(RatioScheduler(sets: 1, gets: 1)), length: .duration(.seconds(5)))
        run.rate = rate
        let result = try await BenchEngine.run(run, target: target, group: MultiThreadedEventLoopGroup.singleton)

        #expect(result.total.errorCount == 0)
        // The schedule: rate × duration requests, whatever the latency: sent, or (a client starved of CPU on a
        // loaded machine falls behind) still due at the end and reported as unsent.
        let scheduled = Double(result.total.operations + result.unsent)
        #expect(abs(scheduled / (rate * 5) - 1) <= 0.02, "\(result.total.operations) sent, \(result.unsent) unsent")
        // What the client achieved: requests over the span from the first send to the last. A starved client sends
        // late requests in a burst and falls behind; then only the schedule count above is checked.
        let span = try #require(result.sendSpan).secondsValue
        let achieved = Double(result.total.operations - 1) / span
        let uncorrectedP99 = try #require(result.total.uncorrected).p99
        let overloaded = result.total.latency.p99 - uncorrectedP99 > .milliseconds(50)
        if !overloaded && result.unsent == 0 {
            #expect(abs(achieved / rate - 1) <= 0.02, "achieved \(achieved) req/s over \(span) s")
        }
    }

    @Test func jsonAndHdrOutputsParse() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pool-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("out.json").path
        let hdr = directory.appendingPathComponent("out.hdr").path
        let command = try RunCommand.parse([
            "--server", "127.0.0.1:\(server.port)", "--clients", "3", "--threads", "1", "--requests", "2000",
            "--rate", "4000", "--json", json, "--hdr", hdr, "--quiet",
        ])
        try await command.run()

        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
        let report = try #require(object as? [String: Any])
        let settings = try #require(report["settings"] as? [String: Any])
        #expect(settings["mode"] as? String == "open-loop")
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        #expect((runs[0]["operations"] as? NSNumber)?.intValue == 2_000)
        #expect((runs[0]["operationsPerSecond"] as? NSNumber)?.doubleValue ?? 0 > 0)

        // Data lines: value (ms), percentile (0...1), total count, 1/(1-percentile) except on the last line.
        let lines = try String(contentsOfFile: hdr, encoding: .utf8).split(separator: "\n")
        let rows = lines.dropFirst().filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let parsed = try rows.map { line -> (value: Double, percentile: Double, count: Int) in
            let fields = line.split(separator: " ")
            #expect(fields.count == 3 || fields.count == 4)
            return (
                try #require(Double(fields[0])), try #require(Double(fields[1])), try #require(Int(fields[2]))
            )
        }
        #expect(parsed.count > 10)
        #expect(zip(parsed, parsed.dropFirst()).allSatisfy { $0.value <= $1.value && $0.percentile <= $1.percentile })
        #expect(zip(parsed, parsed.dropFirst()).allSatisfy { $0.count <= $1.count })
        #expect(parsed.last?.percentile == 1)
        #expect(parsed.last?.count == 2_000)
        #expect(lines.contains { $0.hasPrefix("#[Max") && $0.hasSuffix("Total count    =         2000]") })
    }

    @Test func compareProducesRatios() async throws {
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
            "--threads", "1", "--requests", "500", "--json", json, "--quiet",
        ])
        try await command.run()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
        let comparison = try #require((object as? [String: Any])?["comparison"] as? [[String: Any]])
        #expect(comparison.count == 2)
        for row in comparison {
            let throughput = try #require((row["throughputRatio"] as? NSNumber)?.doubleValue)
            let p99 = try #require((row["p99Ratio"] as? NSNumber)?.doubleValue)
            #expect(throughput > 0 && throughput.isFinite)
            #expect(p99 > 0 && p99.isFinite)
        }
        #expect((comparison[0]["throughputRatio"] as? NSNumber)?.doubleValue == 1)
    }

    @Test func aDeadTargetIsReportedAndExitsNonZero() async throws {
        // A port nothing listens on: bound once to get it from the kernel, then released.
        let port = try RedisServer.freeLoopbackPort()
        let run = self.configuration(.ratio(RatioScheduler(sets: 1, gets: 1)), length: .requests(10))
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: port)])
        let error = await #expect(throws: BenchEngine.ConnectFailed.self) {
            try await BenchEngine.run(run, target: target, group: MultiThreadedEventLoopGroup.singleton)
        }
        #expect(error?.description == "cannot connect to 127.0.0.1:\(port): connection refused")

        let command = try RunCommand.parse(["--server", "127.0.0.1:\(port)", "--requests", "10", "--quiet"])
        await #expect(throws: ExitCode(1)) { try await command.run() }
    }

    @Test func aServerThatStopsAnsweringEndsTheRunAfterTheStallTimeout() async throws {
        let server = try await SilentServer.start()
        defer { server.stop() }
        var run = self.configuration(.ratio(RatioScheduler(sets: 1, gets: 0)), connections: 2, length: .requests(100))
        run.stallTimeout = .milliseconds(300)
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: server.port)])
        let result = try await BenchEngine.run(run, target: target, group: MultiThreadedEventLoopGroup.singleton)
        #expect(result.total.operations == 0)
        #expect(result.total.errors == ["no reply for 300 ms": 100])
    }

    /// A server frozen across the end of an open-loop run (`DEBUG SLEEP`): when it answers again, the requests due
    /// before the end that the connection could not send yet are reported as unsent, not sent late, so that the run
    /// ends on time and its in-flight requests are answered rather than failed by the drain deadline.
    @Test func anOpenLoopRunBehindScheduleAtItsEndReportsTheBacklogRatherThanSendingIt() async throws {
        let server = try RedisServer.start(extraArguments: ["--enable-debug-command", "local"])
        defer { server.stop() }
        var run = self.configuration(
            .ratio(RatioScheduler(sets: 1, gets: 0)),
            connections: 1,
            length: .duration(.seconds(1))
        )
        run.rate = 1_000
        run.pipeline = 4
        run.drainTimeout = .seconds(3)
        // On a thread of its own: redis-cli blocks for the whole sleep, which a cooperative thread must not.
        let sleeper = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            _ = try? server.cli(["DEBUG", "SLEEP", "1.2"])
        }
        sleeper.start()
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: server.port)])
        let result = try await BenchEngine.run(run, target: target, group: MultiThreadedEventLoopGroup.singleton)
        #expect(result.total.errorCount == 0)
        #expect(result.unsent > 0)
        #expect(result.total.operations + result.unsent == 1_000)
        #expect(ReportFormatter.table(result).contains("Behind schedule: \(result.unsent) requests"))
    }

    @Test func stoppingEndsTheRunWithTheResultsSoFar() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let target = BenchTarget(endpoints: [.tcp(host: "127.0.0.1", port: server.port)])
        let run = self.configuration(.ratio(RatioScheduler(sets: 1, gets: 1)), length: .duration(.seconds(30)))
        let stopper = BenchStopper()
        let started = ContinuousClock.now
        Task {
            try await Task.sleep(for: .milliseconds(500))
            stopper.stop()
        }
        let result = try await BenchEngine.run(
            run,
            target: target,
            group: MultiThreadedEventLoopGroup.singleton,
            stopper: stopper
        )
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(result.total.operations > 0)
        #expect(result.total.errorCount == 0)
        #expect(result.elapsed < .seconds(5))
        #expect(result.operationsPerSecond > 0)
    }
}
