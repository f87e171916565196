import ArgumentParser
import BuildInfo
import Logging
import NIOCore
import PoolProxyConfig
import PoolProxyKit
import ServiceLifecycle

@main
struct PoolProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-proxy",
        abstract: "A Redis proxy that pools and multiplexes many clients over a few backend connections.",
        discussion: """
            Run it with a twemproxy nutcracker.yml (--config), or with no file at all:
              pool-proxy --listen 127.0.0.1:7000 --backend 127.0.0.1:6379 [--backend ...] [--admin 127.0.0.1:9121]

            SIGTERM and SIGINT drain: the proxy stops accepting, finishes in-flight requests for up to \
            --grace-period seconds, then closes. SIGHUP reloads --config: new and changed pools take effect, \
            clients of unchanged pools stay connected, and a bad file is refused while the old one keeps running.
            """,
        version: BuildInfo.versionText(app: "pool-proxy")
    )

    @Option(
        name: [.short, .long, .customLong("conf-file")],
        help: "A twemproxy nutcracker.yml, with pool-proxy's extension keys (twemproxy's -c/--conf-file also work)."
    )
    var config: String?

    @Option(help: "Where clients connect, without --config: host:port or a Unix socket path.")
    var listen: String?

    @Option(help: "A backend, host:port[:weight]; repeat it to shard keys across several.")
    var backend: [String] = []

    @Option(help: "Key hash, without --config (twemproxy's names, such as fnv1a_64, murmur, md5).")
    var hash: String = "fnv1a_64"

    @Option(help: "Key distribution, without --config: ketama, modula or random.")
    var distribution: String = "ketama"

    @Option(help: "Milliseconds a request to a backend may take, without --config; none by default.")
    var timeout: Int?

    @Option(help: "Serve /metrics, /stats and /health over HTTP on host:port.")
    var admin: String?

    @Option(
        name: [.customShort("s"), .long],
        help: "Serve twemproxy's stats JSON on this TCP port, as nutcracker -s does."
    )
    var statsPort: Int?

    @Option(name: [.customShort("a"), .long], help: "The address of the stats port.")
    var statsAddress: String = "127.0.0.1"

    @Option(help: "Event loop threads; the number of cores by default.")
    var threads: Int?

    @Option(help: "Seconds to let clients finish on SIGTERM or SIGINT before closing them.")
    var gracePeriod: Double = 10

    @Flag(name: [.short, .long], help: "Log more: once for debug, twice for trace.")
    var verbose: Int

    @Flag(name: [.customShort("t"), .customLong("test-conf")], help: "Check the configuration and exit.")
    var testConfiguration = false

    @Flag(
        help: ArgumentHelp(
            "Read a password from standard input and print its SHA-256 digest, for client_auth's password_sha256.",
            discussion: "One line is read; its line break is not part of the password."
        )
    )
    var hashPassword = false

    mutating func validate() throws {
        if self.hashPassword { return }
        if self.config == nil && self.listen == nil {
            throw ValidationError("give --config FILE, or --listen host:port with at least one --backend")
        }
        if self.config != nil && (self.listen != nil || !self.backend.isEmpty) {
            throw ValidationError("--listen and --backend are for running without --config; put them in the file")
        }
        if self.listen != nil && self.backend.isEmpty {
            throw ValidationError("--listen needs at least one --backend host:port")
        }
        if let threads = self.threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if self.gracePeriod < 0 { throw ValidationError("--grace-period cannot be negative") }
    }

    func run() async throws {
        if self.hashPassword {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                FileHandleOutput.standardError("pool-proxy: --hash-password: no password on standard input")
                throw ExitCode(2)
            }
            print(PasswordDigest(hashing: Array(line.utf8)).hex)
            return
        }
        let level: Logger.Level = self.verbose >= 2 ? .trace : self.verbose == 1 ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "pool-proxy")
        let configuration: ProxyConfiguration
        do {
            configuration = try self.loadConfiguration()
        } catch {
            // The file, the key and the reason, then a non-zero exit: the proxy never half-starts.
            FileHandleOutput.standardError("pool-proxy: configuration error: \(error)")
            throw ExitCode(2)
        }
        if self.testConfiguration {
            print(
                "pool-proxy: configuration \(self.config ?? "from the command line") is valid (\(configuration.pools.count) pools)"
            )
            return
        }
        let service = ProxyService(
            configuration: configuration,
            configurationFile: self.config,
            admin: self.admin,
            statsPort: self.statsPort.map { (self.statsAddress, $0) },
            threads: self.threads ?? System.coreCount,
            gracePeriod: .milliseconds(Int64(self.gracePeriod * 1000)),
            logger: logger
        )
        let group = ServiceGroup(
            services: [service],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        do {
            try await group.run()
        } catch let error as ProxyStartError {
            FileHandleOutput.standardError("pool-proxy: \(error)")
            throw ExitCode(1)
        }
    }

    private func loadConfiguration() throws -> ProxyConfiguration {
        if let file = self.config {
            return try ProxyConfiguration.load(file: file)
        }
        return try ProxyConfiguration.commandLine(
            listen: self.listen!,
            backends: self.backend,
            hash: self.hash,
            distribution: self.distribution,
            timeout: self.timeout
        )
    }
}
