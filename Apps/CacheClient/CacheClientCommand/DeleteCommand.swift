import ArgumentParser
import CacheClient

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "del",
        abstract: "Delete KEYs and print how many existed."
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The keys.") var keys: [String]

    func validate() throws {
        if self.keys.isEmpty { throw ValidationError("give at least one key") }
    }

    func run() async throws {
        try await self.connection.withClient { client, _ in
            print(try await client.delete(self.keys))
        }
    }
}
