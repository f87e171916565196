import NIOCore

/// Where a socket connects to or listens on.
///
/// ```swift
/// let local: SocketEndpoint = .tcp(host: "127.0.0.1", port: 6379)
/// let named: SocketEndpoint = .tcp(host: "cache.internal", port: 6379)  // resolved with Happy Eyeballs
/// let unix: SocketEndpoint = .unixSocket(path: "/var/run/redis.sock")
/// ```
public enum SocketEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal, or a DNS name, and a TCP port.
    case tcp(host: String, port: Int)
    /// A Unix domain socket path.
    case unixSocket(path: String)

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path): "unix:\(path)"
        }
    }

    /// The host name to present in TLS SNI: a DNS name, or `nil` for IP literals and Unix sockets.
    var serverNameIndicationHost: String? {
        guard case .tcp(let host, _) = self else { return nil }
        return Self.isIPLiteral(host) ? nil : host
    }

    static func isIPLiteral(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
