import ArgumentParser
import CacheClient

struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store VALUE (as bytes) at KEY."
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The key.") var key: String
    @Argument(help: "The value.") var value: String
    @Option(help: "Time to live in seconds; none by default.") var ttl: Double?

    func validate() throws {
        if let ttl = self.ttl, ttl <= 0 { throw ValidationError("--ttl must be positive") }
    }

    func run() async throws {
        try await self.connection.withClient { client, _ in
            let bytes: [UInt8] = Array(self.value.utf8)
            let ttl: Duration? = self.ttl.map { .seconds($0) }
            try await client.set(self.key, bytes, ttl: ttl)
            print("OK")
        }
    }
}
