import ArgumentParser
import NIOSSL
import SocketIO

/// The TLS options every subcommand shares (`run`, `connect`, `pool`): `--tls` and the certificate files. Any
/// certificate option implies `--tls`. `--cacert` is redis-cli's name for `--tls-ca-file`.
///
/// ```swift
/// let arguments = try TLSArguments.parse(["--tls", "--cacert", "ca.crt"])
/// let tls = try arguments.clientOptions()   // nil without TLS
/// ```
struct TLSArguments: ParsableArguments {
    @Flag(help: "Connect with TLS.")
    var tls = false

    @Option(
        name: [.customLong("tls-ca-file"), .customLong("cacert")],
        help: "CA certificates (PEM) to verify the server with (default: the system's trust store)."
    )
    var caFile: String?

    @Option(name: .customLong("tls-cert-file"), help: "Client certificate (PEM) for mutual TLS.")
    var certificateFile: String?

    @Option(name: .customLong("tls-key-file"), help: "Client private key (PEM) for mutual TLS.")
    var privateKeyFile: String?

    @Option(name: .customLong("tls-server-name"), help: "Server name (SNI) to send and verify.")
    var serverName: String?

    @Flag(name: .customLong("tls-skip-verify"), help: "Do not verify the server's certificate.")
    var skipVerify = false

    /// Loading certificates fails with this, naming the files, instead of NIOSSL's bare error code.
    struct LoadFailed: Error, CustomStringConvertible {
        let description: String
    }

    func validate() throws {
        guard (self.certificateFile == nil) == (self.privateKeyFile == nil) else {
            throw ValidationError("--tls-cert-file and --tls-key-file go together")
        }
    }

    var isEnabled: Bool {
        self.tls || self.caFile != nil || self.certificateFile != nil || self.serverName != nil || self.skipVerify
    }

    /// The prepared TLS context for every connection, or nil for plain text.
    func clientOptions() throws(LoadFailed) -> ClientTLSOptions? {
        guard self.isEnabled else { return nil }
        do {
            return try ClientTLSOptions(
                caFile: self.caFile,
                certificateFile: self.certificateFile,
                privateKeyFile: self.privateKeyFile,
                serverName: self.serverName,
                verification: self.skipVerify ? .none : .fullVerification
            )
        } catch {
            let files = [self.caFile, self.certificateFile, self.privateKeyFile].compactMap { $0 }
            let named = files.isEmpty ? "" : " (\(files.joined(separator: ", ")))"
            throw LoadFailed(description: "cannot load the TLS certificates\(named): \(error)")
        }
    }

    /// What `connect` and `pool` open their ``RESPConnection``s with: the defaults, plus TLS when asked for.
    func connectionConfiguration() throws(LoadFailed) -> RESPConnectionConfiguration {
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try self.clientOptions()
        return configuration
    }
}
