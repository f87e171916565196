import ArgumentParser
import CacheClient

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Connect, warm, PING every node and print the client's stats (and Prometheus text)."
    )

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print the Prometheus exposition too.") var prometheus = false

    func run() async throws {
        try await self.connection.withClient(quiet: false) { client, _ in
            print(StatsReport(client.stats()).text)
            if self.prometheus { print(client.prometheusExposition()) }
            if client.stats().nodes.contains(where: { !$0.isAvailable || $0.pool.idle + $0.pool.inUse == 0 }) {
                let down = client.stats().nodes.filter { $0.pool.idle + $0.pool.inUse == 0 }.map(\.name)
                throw CacheError.unavailable(node: down.joined(separator: ","), reason: "no connection could be opened")
            }
        }
    }
}
