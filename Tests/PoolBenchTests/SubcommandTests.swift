import ArgumentParser
import Foundation
import RedisTestSupport
import Testing

@testable import PoolBench

@Suite struct SubcommandParsingTests {
    @Test func runIsTheDefaultSubcommand() throws {
        let command = try PoolBenchCommand.parseAsRoot(["--server", "127.0.0.1:7000", "--requests", "10"])
        let run = try #require(command as? RunCommand)
        #expect(run.servers == ["127.0.0.1:7000"])
        #expect(try PoolBenchCommand.parseAsRoot(["run", "--requests", "5"]) is RunCommand)
        #expect(try PoolBenchCommand.parseAsRoot(["connect", "--requests", "5"]) is ConnectCommand)
        #expect(try PoolBenchCommand.parseAsRoot(["pool", "--sizes", "1,2"]) is PoolCommand)
    }

    @Test func poolListsParse() throws {
        #expect(try PoolCommand.list("1, 4,16") == [1, 4, 16])
        #expect(throws: (any Error).self) { try PoolCommand.list("1,0") }
        #expect(throws: (any Error).self) { try PoolCommand.list("") }
    }

    @Test func connectionCostSummary() {
        let summary = ConnectionCostSummary(fresh: [100, 100, 100, 300], pooled: [20, 20, 20, 20])
        #expect(summary.fresh.mean == 150)
        #expect(summary.fresh.p50 == 100)
        #expect(summary.fresh.p99 == 300)
        #expect(summary.establishmentMicroseconds == 130)
        #expect(abs(summary.speedup - 7.5) < 1e-9)
        #expect(abs(summary.fasterPercent - 86.666) < 0.01)
        #expect(summary.verdict.hasPrefix("reproduced"))
        #expect(ConnectionCostSummary(fresh: [100], pooled: [50]).verdict.hasPrefix("refuted"))
        #expect(ConnectionCostSummary(fresh: [100], pooled: [5]).verdict.hasPrefix("exceeded"))
        #expect(summary.table.contains("speedup with pooling: 7.50x"))
    }
}

/// The connect and pool subcommands against a real redis-server on a free loopback port; no speed checks.
@Suite(.blockingAllowed, .serialized) struct SubcommandIntegrationTests {
    @Test func connectMeasuresBothModes() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let summary = try await ConnectCommand.measure(
            endpoint: .tcp(host: "127.0.0.1", port: server.port),
            requests: 100,
            rounds: 2,
            command: ["SET", "__key__", "v"]
        )
        #expect(summary.fresh.count == 200)
        #expect(summary.pooled.count == 200)
        #expect(summary.fresh.mean > 0 && summary.pooled.mean > 0)
        #expect(try server.cli(["DBSIZE"]).trimmingCharacters(in: .whitespacesAndNewlines) == "100")
    }

    @Test func poolSweepCellUsesThePool() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let cell = try await PoolCommand.measure(
            endpoint: .tcp(host: "127.0.0.1", port: server.port),
            size: 2,
            concurrency: 8,
            duration: .milliseconds(300),
            command: ["GET", "__key__"]
        )
        #expect(cell.operations > 0)
        #expect(cell.errors == 0)
        #expect(cell.created <= 2)
        #expect(cell.reuseRate > 0.5)
        #expect(cell.p99 > .zero)
        #expect(PoolSweepCell.table([cell]).split(separator: "\n").count == 2)
    }

    @Test func deadTargetExitsNonZero() async throws {
        let port = try RedisServer.freeLoopbackPort()
        let connect = try ConnectCommand.parse(["--server", "127.0.0.1:\(port)", "--requests", "1"])
        await #expect(throws: ExitCode(1)) { try await connect.run() }
        let pool = try PoolCommand.parse(["--server", "127.0.0.1:\(port)"])
        await #expect(throws: ExitCode(1)) { try await pool.run() }
    }
}
