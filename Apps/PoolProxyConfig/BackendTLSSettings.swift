/// `backend_tls`: the proxy speaks TLS to the servers (managed Redis such as ElastiCache, Memorystore or Redis
/// Cloud).
///
/// ```yaml
/// backend_tls:
///   ca_file: /etc/pool-proxy/redis-ca.crt   # the system trust store without it
///   server_name: redis.internal             # SNI, and the name checked against the certificate
///   cert_file: /etc/pool-proxy/client.crt   # only for servers that require client certificates
///   key_file: /etc/pool-proxy/client.key
///   verify: true                            # false turns verification off, loudly
/// ```
public struct BackendTLSSettings: Sendable, Hashable {
    /// Trusted roots, PEM; `nil` uses the system's trust store.
    public var caFile: String?
    /// The SNI name, also checked against the server certificate; `nil` checks the server's address.
    public var serverName: String?
    /// A client certificate chain for servers that require one, PEM.
    public var certificateFile: String?
    /// The client certificate's private key, PEM.
    public var keyFile: String?
    /// Whether server certificates are verified. Turning it off is logged as a warning every time the pool starts.
    public var verify: Bool = true

    /// Verified TLS with the system's trust store.
    public init() {}
}
