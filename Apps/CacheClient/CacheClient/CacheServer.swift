import LoadBalancer

/// One Redis node: `host:port`, a ketama weight and an optional name, exactly like a `nutcracker.yml` server entry.
///
/// Keys are placed by the ketama name twemproxy would use (the `name` when given, otherwise `host:port`), so a
/// client and a pool-proxy configured with the same list agree on every key's node.
///
/// ```swift
/// let a = CacheServer(host: "10.0.0.1", port: 6379)
/// let b = CacheServer(parsing: "10.0.0.2:6379:1 shard-b")!   // nutcracker.yml syntax
/// let c = CacheServer(parsing: "127.0.0.1:6380")!            // host:port, weight 1
/// ```
public struct CacheServer: Hashable, Sendable, CustomStringConvertible {
    /// The host name or IP address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The ketama weight, at least 1.
    public var weight: Int
    /// The optional twemproxy server name; it replaces `host:port` as the ketama name.
    public var name: String?

    /// Creates a server entry.
    public init(host: String, port: Int = 6379, weight: Int = 1, name: String? = nil) {
        self.host = host
        self.port = port
        self.weight = weight
        self.name = name
    }

    /// Parses `host:port`, or twemproxy's `host:port:weight [name]`; `nil` when malformed.
    public init?(parsing entry: String) {
        if let server = TwemproxyServer(parsing: entry) {
            self.init(host: server.host, port: server.port, weight: server.weight, name: server.name)
            return
        }
        guard let colon = entry.lastIndex(of: ":"), let port = Int(entry[entry.index(after: colon)...]),
            (1...65535).contains(port), colon > entry.startIndex
        else { return nil }
        var host = String(entry[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(host: host, port: port)
    }

    /// The entry as twemproxy's router sees it.
    public var twemproxyServer: TwemproxyServer {
        TwemproxyServer(host: self.host, port: self.port, weight: self.weight, name: self.name)
    }

    /// The name used in errors, stats and metric labels: the twemproxy name, or `host:port`.
    public var description: String { self.name ?? "\(self.host):\(self.port)" }
}
