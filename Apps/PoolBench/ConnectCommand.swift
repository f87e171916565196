import ArgumentParser
import Foundation
import NIOCore
import SocketIO

/// `pool-bench connect`: the same request stream twice, once opening a new connection for every request and once
/// over one pooled connection, in interleaved rounds. Prints the establishment cost and the speedup.
///
/// ```sh
/// pool-bench connect --server 127.0.0.1:6379 --requests 2000 --rounds 3
/// ```
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "A new connection per request vs one pooled connection: establishment cost and speedup."
    )

    @Option(help: "host:port of the server.")
    var server = "127.0.0.1:6379"

    @Option(help: "Requests per mode and round.")
    var requests = 2_000

    @Option(help: "Rounds; each runs both modes, alternating which goes first.")
    var rounds = 3

    @Option(help: "The command sent; __key__ becomes key:N.")
    var command = "GET __key__"

    @OptionGroup(title: "TLS")
    var tlsArguments: TLSArguments

    func validate() throws {
        guard self.requests > 0 else { throw ValidationError("--requests must be positive") }
        guard self.rounds > 0 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() async throws {
        let endpoint = try BenchTarget.parseEndpoint(self.server)
        let template = self.command.split(separator: " ").map(String.init)
        let summary: ConnectionCostSummary
        do {
            summary = try await Self.measure(
                endpoint: endpoint,
                configuration: try self.tlsArguments.connectionConfiguration(),
                requests: self.requests,
                rounds: self.rounds,
                command: template
            )
        } catch let error as BenchEngine.ConnectFailed {
            FileHandle.standardError.write(Data("pool-bench: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as TLSArguments.LoadFailed {
            FileHandle.standardError.write(Data("pool-bench: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let security = self.tlsArguments.isEnabled ? " over TLS" : ""
        let workload = "\(self.rounds) rounds of \(self.requests) requests per mode, \"\(self.command)\""
        print("Target \(endpoint)\(security), \(workload)")
        print("")
        print(summary.table)
    }

    /// Microseconds per request, for each mode, over all rounds.
    static func measure(
        endpoint: SocketEndpoint,
        configuration: RESPConnectionConfiguration = RESPConnectionConfiguration(),
        requests: Int,
        rounds: Int,
        command: [String]
    ) async throws -> ConnectionCostSummary {
        func arguments(_ index: Int) -> [String] {
            command.map { $0.replacingOccurrences(of: "__key__", with: "key:\(index)") }
        }
        func connect() async throws -> RESPConnection {
            do {
                return try await RESPConnection.connect(to: endpoint, configuration: configuration)
            } catch {
                throw BenchEngine.ConnectFailed(
                    description: "cannot connect to \(endpoint): \(BenchEngine.reason(error))"
                )
            }
        }
        var fresh: [Double] = []
        var pooled: [Double] = []
        let clock = ContinuousClock()
        for round in 0..<rounds {
            for mode in round % 2 == 0 ? [true, false] : [false, true] {
                if mode {
                    for index in 0..<requests {
                        let started = clock.now
                        let connection = try await connect()
                        _ = try await connection.send(arguments(index))
                        await connection.close()
                        fresh.append((clock.now - started).microsecondsValue)
                    }
                } else {
                    let connection = try await connect()
                    for index in 0..<requests {
                        let started = clock.now
                        _ = try await connection.send(arguments(index))
                        pooled.append((clock.now - started).microsecondsValue)
                    }
                    await connection.close()
                }
            }
        }
        return ConnectionCostSummary(fresh: fresh, pooled: pooled)
    }
}
