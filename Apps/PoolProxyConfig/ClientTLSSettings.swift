/// `tls`: the proxy terminates TLS from clients.
///
/// ```yaml
/// tls:
///   listen: 127.0.0.1:6380      # a TLS listener beside `listen`; without it, `listen` itself speaks TLS
///   cert_file: /etc/pool-proxy/server.crt
///   key_file: /etc/pool-proxy/server.key
///   ca_file: /etc/pool-proxy/clients-ca.crt   # clients must present a certificate from this CA (mutual TLS)
///   min_version: "1.2"
/// ```
public struct ClientTLSSettings: Sendable, Hashable {
    /// A TLS listener beside the plain `listen`; `nil` makes `listen` itself TLS-only.
    public var listen: ListenAddress?
    /// The server certificate chain, PEM.
    public var certificateFile: String
    /// The server certificate's private key, PEM.
    public var keyFile: String
    /// When set, clients must present a certificate signed by one of these CAs (PEM).
    public var clientCAFile: String?
    /// The oldest TLS version accepted.
    public var minimumVersion: TLSMinimumVersion = .v1_2

    /// TLS with a certificate and its key.
    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
