import Logging
import NIOSSL
import PoolProxyConfig
import SocketIO

extension ServerPoolRuntime {
    /// Why a pool's TLS set-up failed: the key and file, so the operator knows what to fix.
    struct TLSSetUpError: Error, CustomStringConvertible {
        let description: String
    }

    /// The context client connections are accepted with (`tls`).
    static func serverTLS(_ settings: ClientTLSSettings, pool: String) throws -> NIOSSLContext {
        do {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(settings.certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: settings.keyFile, format: .pem))
            )
            configuration.minimumTLSVersion = settings.minimumVersion == .v1_3 ? .tlsv13 : .tlsv12
            if let clientCAFile = settings.clientCAFile {
                // Servers check client certificates against the CA; there is no host name to check.
                configuration.trustRoots = .file(clientCAFile)
                configuration.certificateVerification = .noHostnameVerification
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetUpError(
                description: "pool '\(pool)': tls: cannot load \(settings.certificateFile) / \(settings.keyFile)"
                    + (settings.clientCAFile.map { " / \($0)" } ?? "") + ": \(error)"
            )
        }
    }

    /// TLS for server connections (`backend_tls`). Turning verification off is allowed, and said out loud.
    static func backendTLS(_ settings: BackendTLSSettings, pool: String, logger: Logger?) throws -> ClientTLSOptions {
        if !settings.verify, let logger {
            logger.warning(
                "backend TLS certificate verification is OFF (backend_tls.verify: false): connections to the servers can be intercepted",
                metadata: ["pool": "\(pool)"]
            )
        }
        do {
            return try ClientTLSOptions(
                caFile: settings.caFile,
                certificateFile: settings.certificateFile,
                privateKeyFile: settings.keyFile,
                serverName: settings.serverName,
                verification: settings.verify ? .fullVerification : .none
            )
        } catch {
            throw TLSSetUpError(description: "pool '\(pool)': backend_tls: cannot load the certificates: \(error)")
        }
    }
}
