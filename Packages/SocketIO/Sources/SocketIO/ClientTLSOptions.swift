import NIOSSL

/// TLS for outgoing connections: a prepared `NIOSSLContext` plus the name to send in SNI.
///
/// Build it once and share it between connections: loading certificates is far more expensive than a handshake.
/// Certificate verification is on by default; switching it off takes an explicit `verification: .none`.
///
/// ```swift
/// let tls = try ClientTLSOptions(
///     caFile: "/etc/redis/ca.crt",
///     certificateFile: "/etc/redis/client.crt",  // only for mutual TLS
///     privateKeyFile: "/etc/redis/client.key",
///     serverName: "redis.internal"
/// )
/// ```
public struct ClientTLSOptions: Sendable {
    /// The context each connection's TLS handler is made from.
    public var context: NIOSSLContext
    /// The name sent in SNI and checked against the server certificate. When `nil`, a DNS host name from the
    /// endpoint is used; IP literals are checked against the certificate's IP addresses instead.
    public var serverName: String?

    /// Wraps a context built elsewhere.
    public init(context: NIOSSLContext, serverName: String? = nil) {
        self.context = context
        self.serverName = serverName
    }

    /// Builds a context from PEM files.
    ///
    /// - Parameters:
    ///   - caFile: Trusted roots. When `nil`, the system's default trust store is used.
    ///   - certificateFile: A client certificate chain, for servers that require mutual TLS.
    ///   - privateKeyFile: The key of `certificateFile`.
    ///   - serverName: The SNI host name, also checked against the server certificate.
    ///   - verification: `.fullVerification` unless you explicitly opt out.
    public init(
        caFile: String? = nil,
        certificateFile: String? = nil,
        privateKeyFile: String? = nil,
        serverName: String? = nil,
        verification: CertificateVerification = .fullVerification
    ) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verification
        if let caFile {
            configuration.trustRoots = .file(caFile)
        }
        if let certificateFile {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
        }
        if let privateKeyFile {
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
        }
        self.context = try NIOSSLContext(configuration: configuration)
        self.serverName = serverName
    }
}
