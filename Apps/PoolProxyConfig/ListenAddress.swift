/// Where a pool accepts clients: `host:port`, or a Unix socket path with optional permissions
/// (`/tmp/proxy.sock 0666`), as twemproxy's `listen:` writes it.
///
/// ```swift
/// let address = try ListenAddress(parsing: "127.0.0.1:22121")
/// assert(address == .tcp(host: "127.0.0.1", port: 22121))
/// ```
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP host (name, IPv4, or IPv6 without brackets) and port.
    case tcp(host: String, port: Int)
    /// A Unix domain socket and the file mode to give it, if any.
    case unix(path: String, permissions: UInt16?)

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path, _): path
        }
    }
}
