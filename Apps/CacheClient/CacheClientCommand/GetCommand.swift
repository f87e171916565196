import ArgumentParser
import CacheClient

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the value at KEY, or (nil)."
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The key.") var key: String

    func run() async throws {
        try await self.connection.withClient { client, _ in
            if let value = try await client.get(self.key) {
                print(String(decoding: value.readableBytesView, as: UTF8.self))
            } else {
                print("(nil)")
            }
        }
    }
}
