import ArgumentParser
import BuildInfo

@main
struct CacheClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache-client",
        abstract:
            "An example cache client: pooled, warmed, health-checked, circuit-broken and sharded like pool-proxy.",
        discussion: """
            Exit codes: 0 success, 1 a node is unavailable (breaker open, ejected or unreachable), 2 timeout,
            3 any other cache error (protocol, server error reply, codec), 64 bad usage.
            """,
        version: BuildInfo.versionText(app: "cache-client"),
        subcommands: [
            GetCommand.self, SetCommand.self, DeleteCommand.self, StatsCommand.self, DemoCommand.self,
            BenchCommand.self,
        ]
    )
}
