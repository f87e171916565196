import NIOSSL
import SocketIO

/// TLS towards the Redis nodes. Certificate verification is on whenever TLS is; switching it off takes an
/// explicit `verifiesCertificates = false`.
///
/// ```swift
/// var tls = CacheTLSConfiguration(isEnabled: true)
/// tls.caFile = "/etc/redis/ca.crt"
/// tls.serverName = "redis.internal"
/// ```
public struct CacheTLSConfiguration: Hashable, Sendable {
    /// Whether connections use TLS.
    public var isEnabled: Bool
    /// Whether the server certificate is verified (the inverse of go-redis' `InsecureSkipVerify`).
    public var verifiesCertificates: Bool
    /// Trusted roots as a PEM file; `nil` uses the system trust store.
    public var caFile: String?
    /// A client certificate chain (PEM), for servers that require mutual TLS.
    public var certificateFile: String?
    /// The private key of ``certificateFile`` (PEM).
    public var privateKeyFile: String?
    /// The name sent in SNI and checked against the certificate; `nil` uses the server's host name.
    public var serverName: String?

    /// Creates a TLS configuration; by default TLS is off and, once on, verifies certificates.
    public init(
        isEnabled: Bool = false,
        verifiesCertificates: Bool = true,
        caFile: String? = nil,
        certificateFile: String? = nil,
        privateKeyFile: String? = nil,
        serverName: String? = nil
    ) {
        self.isEnabled = isEnabled
        self.verifiesCertificates = verifiesCertificates
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.serverName = serverName
    }

    /// The SocketIO options, or `nil` when TLS is off. Loads the PEM files.
    func makeClientOptions() throws -> ClientTLSOptions? {
        guard self.isEnabled else { return nil }
        return try ClientTLSOptions(
            caFile: self.caFile,
            certificateFile: self.certificateFile,
            privateKeyFile: self.privateKeyFile,
            serverName: self.serverName,
            verification: self.verifiesCertificates ? .fullVerification : .none
        )
    }
}
