import ArgumentParser
import Foundation
import NIOPosix
import RedisTestSupport
import Testing

@testable import PoolBench

/// Every subcommand against a redis-server that speaks TLS, with certificates made by openssl for the test: what
/// is sent is answered, and a server whose certificate does not verify ends each subcommand with a TLS error and
/// exit status 1 instead of a hang. Skipped, with the reason, where openssl or a TLS-capable redis-server is missing.
@Suite(.blockingAllowed, .serialized, .timeLimit(.minutes(2))) struct TLSIntegrationTests {
    private func startServer() throws -> TLSRedisServer {
        do {
            return try TLSRedisServer.start()
        } catch let unsupported as TLSRedisServer.Unsupported {
            try Test.cancel("TLS is not testable here: \(unsupported.description)")
        }
    }

    @Test func runSendsAndReceivesEveryRequest() async throws {
        let server = try self.startServer()
        defer { server.stop() }
        _ = try server.plain.cli(["CONFIG", "RESETSTAT"])
        let command = try RunCommand.parse([
            "--server", "127.0.0.1:\(server.tlsPort)", "--tls", "--cacert", server.caFile,
            "--clients", "4", "--threads", "1", "--pipeline", "4", "--requests", "2000", "--ratio", "1:1",
            "--quiet",
        ])
        let configuration = try command.makeConfiguration()
        let result = try await BenchEngine.run(
            configuration,
            target: try #require(command.makeTargets().first),
            group: MultiThreadedEventLoopGroup.singleton
        )
        #expect(result.total.operations == 2_000)
        #expect(result.total.errorCount == 0)
        // Sent equals received: the server executed exactly what the engine recorded.
        let stats = try server.plain.cli(["INFO", "commandstats"])
        #expect(Self.calls("set", in: stats) + Self.calls("get", in: stats) == 2_000)
        #expect(UInt64(Self.calls("set", in: stats)) == result.commands.first { $0.name == "SET" }?.operations)
    }

    @Test func runCommandLineWritesItsReport() async throws {
        let server = try self.startServer()
        defer { server.stop() }
        let json = server.directory.appendingPathComponent("run.json").path
        try await RunCommand.parse([
            "--server", "127.0.0.1:\(server.tlsPort)", "--tls-ca-file", server.caFile, "--clients", "2",
            "--requests", "200", "--json", json, "--quiet",
        ]).run()
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        )
        let run = try #require((report["runs"] as? [[String: Any]])?.first)
        #expect((run["operations"] as? Int) == 200)
    }

    @Test func connectMeasuresBothModesOverTLS() async throws {
        let server = try self.startServer()
        defer { server.stop() }
        let command = try ConnectCommand.parse([
            "--server", "127.0.0.1:\(server.tlsPort)", "--tls", "--cacert", server.caFile,
            "--requests", "30", "--rounds", "1", "--command", "SET __key__ v",
        ])
        let summary = try await ConnectCommand.measure(
            endpoint: .tcp(host: "127.0.0.1", port: server.tlsPort),
            configuration: command.tlsArguments.connectionConfiguration(),
            requests: 30,
            rounds: 2,
            command: ["SET", "__key__", "v"]
        )
        #expect(summary.fresh.count == 60)
        #expect(summary.pooled.count == 60)
        #expect(try server.plain.cli(["DBSIZE"]).trimmingCharacters(in: .whitespacesAndNewlines) == "30")
        // The command line end to end.
        try await command.run()
    }

    @Test func poolSweepsOverTLS() async throws {
        let server = try self.startServer()
        defer { server.stop() }
        let command = try PoolCommand.parse([
            "--server", "127.0.0.1:\(server.tlsPort)", "--tls", "--cacert", server.caFile,
            "--sizes", "2", "--concurrency", "4", "--duration", "200ms",
        ])
        let cell = try await PoolCommand.measure(
            endpoint: .tcp(host: "127.0.0.1", port: server.tlsPort),
            configuration: command.tlsArguments.connectionConfiguration(),
            size: 2,
            concurrency: 8,
            duration: .milliseconds(300),
            command: ["GET", "__key__"]
        )
        #expect(cell.operations > 0)
        #expect(cell.errors == 0)
        #expect(cell.created <= 2)
        try await command.run()
    }

    @Test func wrongCAFailsWithATLSErrorAndExitStatusOne() async throws {
        let server = try self.startServer()
        defer { server.stop() }
        let address = "127.0.0.1:\(server.tlsPort)"
        let tls = ["--tls", "--cacert", server.wrongCAFile]

        let run = try RunCommand.parse(["--server", address, "--requests", "10", "--quiet"] + tls)
        let failure = await #expect(throws: BenchEngine.ConnectFailed.self) {
            _ = try await BenchEngine.run(
                try run.makeConfiguration(),
                target: try #require(run.makeTargets().first),
                group: MultiThreadedEventLoopGroup.singleton
            )
        }
        let message = failure?.description ?? ""
        #expect(
            message == "cannot connect to \(address): TLS handshake failed: the server's certificate did not verify "
                + "(CERTIFICATE_VERIFY_FAILED); check --tls-ca-file and --tls-server-name"
        )
        await #expect(throws: ExitCode(1)) { try await run.run() }

        let connect = try ConnectCommand.parse(["--server", address, "--requests", "1", "--rounds", "1"] + tls)
        await #expect(throws: ExitCode(1)) { try await connect.run() }
        let pool = try PoolCommand.parse(["--server", address, "--sizes", "1", "--concurrency", "1"] + tls)
        await #expect(throws: ExitCode(1)) { try await pool.run() }
        // Nothing got through to the server.
        let stats = try server.plain.cli(["INFO", "commandstats"])
        #expect(Self.calls("get", in: stats) == 0)
    }

    /// `calls=` of `cmdstat_<name>` in `INFO commandstats`, 0 when the command never ran.
    private static func calls(_ name: String, in stats: String) -> Int {
        for line in stats.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_\(name):") {
            let fields = line.split(separator: ":", maxSplits: 1)[1].split(separator: ",")
            if let field = fields.first(where: { $0.hasPrefix("calls=") }) { return Int(field.dropFirst(6)) ?? 0 }
        }
        return 0
    }
}

/// The shared TLS options, without a server.
@Suite struct TLSArgumentsTests {
    @Test func missingCertificateFileIsReportedNotCrashed() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-ca-\(UUID()).crt").path
        let arguments = try TLSArguments.parse(["--cacert", missing])
        #expect(arguments.isEnabled)
        #expect(throws: TLSArguments.LoadFailed.self) { try arguments.clientOptions() }
        let run = try RunCommand.parse(["--server", "127.0.0.1:1", "--tls-ca-file", missing, "--quiet"])
        await #expect(throws: ExitCode(1)) { try await run.run() }
        #expect(throws: (any Error).self) {
            try TLSArguments.parse(["--tls-cert-file", "client.crt"])
        }
    }

    @Test func everySubcommandTakesTheSameOptions() throws {
        let options = ["--tls", "--cacert", "ca.crt", "--tls-server-name", "redis.test", "--tls-skip-verify"]
        for arguments in [["--server", "127.0.0.1:6380"], ["run"], ["connect"], ["pool"]] {
            let command = try PoolBenchCommand.parseAsRoot(arguments + options)
            let tls =
                (command as? RunCommand)?.tlsArguments ?? (command as? ConnectCommand)?.tlsArguments
                ?? (command as? PoolCommand)?.tlsArguments
            #expect(tls?.tls == true)
            #expect(tls?.caFile == "ca.crt")
            #expect(tls?.serverName == "redis.test")
            #expect(tls?.skipVerify == true)
        }
        #expect(try TLSArguments.parse([]).isEnabled == false)
        #expect(try TLSArguments.parse(["--tls-ca-file", "x"]).isEnabled)
    }
}
