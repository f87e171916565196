import ArgumentParser
import CacheClient
import Logging

/// Where and how to connect, shared by every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: "A Redis node as host:port or host:port:weight [name]; repeatable.")
    var servers: [String] = ["127.0.0.1:6379"]

    @Option(help: "Preset: default, high-performance or production.")
    var preset: String = "default"

    @Flag(help: "Use TLS (on in the production preset).")
    var tls = false

    @Option(name: .customLong("ca-file"), help: "Trusted CA certificates (PEM) for TLS.")
    var caFile: String?

    @Option(name: .customLong("cert"), help: "Client certificate (PEM) for mutual TLS.")
    var certificateFile: String?

    @Option(name: .customLong("key"), help: "Client private key (PEM) for mutual TLS.")
    var privateKeyFile: String?

    @Option(name: .customLong("tls-server-name"), help: "The name to expect in the server certificate (SNI).")
    var tlsServerName: String?

    @Flag(name: .customLong("insecure-skip-verify"), help: "Do not verify the server certificate.")
    var insecureSkipVerify = false

    @Option(help: "Password sent with AUTH.")
    var password: String?

    @Option(help: "ACL user sent with AUTH.")
    var user: String?

    @Option(name: .customLong("min-idle"), help: "Override the preset's minimum idle connections per node.")
    var minimumIdle: Int?

    func makeConfiguration() throws -> CacheClientConfiguration {
        guard var configuration = CacheClientConfiguration.preset(named: self.preset) else {
            throw ValidationError("unknown preset \(self.preset): use default, high-performance or production")
        }
        configuration.servers = try self.servers.map { entry in
            guard let server = CacheServer(parsing: entry) else {
                throw ValidationError("bad --server \(entry): expected host:port")
            }
            return server
        }
        if self.tls || self.caFile != nil { configuration.tls.isEnabled = true }
        configuration.tls.caFile = self.caFile
        configuration.tls.certificateFile = self.certificateFile
        configuration.tls.privateKeyFile = self.privateKeyFile
        configuration.tls.serverName = self.tlsServerName
        if self.insecureSkipVerify { configuration.tls.verifiesCertificates = false }
        configuration.password = self.password
        configuration.username = self.user
        if let minimumIdle = self.minimumIdle { configuration.minimumIdleConnections = minimumIdle }
        // A command-line run is short: do not wait long on warming nodes that are down.
        configuration.connectionWarmingTimeout = min(configuration.connectionWarmingTimeout, .seconds(3))
        return configuration
    }

    /// Runs `body` with a started client, shuts it down, and turns cache errors into exit codes.
    func withClient<Result>(
        quiet: Bool = true,
        _ body: (CacheClient, WarmingReport) async throws -> Result
    ) async throws -> Result {
        // Warnings go to standard error, so that they never mix with a value printed on standard output.
        let logger = Logger(label: "cache-client") { StreamLogHandler.standardError(label: $0) }
        let client = try CacheClient(configuration: try self.makeConfiguration(), logger: logger)
        let report = await client.start()
        if !quiet || !report.isComplete { printError("cache-client: \(report)") }
        do {
            let result = try await body(client, report)
            await client.shutdown()
            return result
        } catch let error as CacheError {
            await client.shutdown()
            printError("cache-client: \(error)")
            throw ExitCode(Self.exitCode(for: error))
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func exitCode(for error: CacheError) -> Int32 {
        switch error {
        case .unavailable: 1
        case .timeout: 2
        case .protocolError, .server, .codec: 3
        }
    }
}
