import ArgumentParser
import BuildInfo

/// The `pool-bench` command line: ``RunCommand`` (the default, so `pool-bench --server ...` runs a benchmark),
/// ``ConnectCommand`` and ``PoolCommand``.
///
/// ```sh
/// pool-bench --server 127.0.0.1:6379 --duration 30s
/// pool-bench connect --server 127.0.0.1:6379 --requests 2000
/// pool-bench pool --server 127.0.0.1:6379 --sizes 1,4,16 --concurrency 1,16,64
/// ```
@main
struct PoolBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-bench",
        abstract: "A Redis load and latency benchmark with open-loop scheduling and corrected percentiles.",
        version: BuildInfo.versionText(app: "pool-bench"),
        subcommands: [RunCommand.self, ConnectCommand.self, PoolCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
