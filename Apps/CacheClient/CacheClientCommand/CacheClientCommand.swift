import ArgumentParser
import BuildInfo
import CacheClient

@main
struct CacheClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache-client",
        abstract: "An example cache client: pooled, warmed, health-checked, circuit-broken and load-balanced.",
        discussion: """
            This build carries the command-line skeleton only: the client lands with the cache-client issue.
            """,
        version: BuildInfo.versionText(app: "cache-client")
    )

    func run() throws {
        throw CleanExit.message("cache-client: the client is not part of this build yet; see --help.")
    }
}
