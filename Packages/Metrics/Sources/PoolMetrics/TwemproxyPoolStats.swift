/// One pool's counters in a twemproxy stats document, with its servers nested inside.
///
/// ```swift
/// var pool = TwemproxyPoolStats(name: "alpha", servers: [TwemproxyServerStats(name: "server1")])
/// pool.clientConnections = 3
/// ```
public struct TwemproxyPoolStats: Sendable, Hashable {
    /// The key: the pool's name from `nutcracker.yml`.
    public var name: String
    /// `client_eof`: clients that closed their connection.
    public var clientEOF: UInt64 = 0
    /// `client_err`: client connection errors.
    public var clientErrors: UInt64 = 0
    /// `client_connections`: open client connections.
    public var clientConnections: UInt64 = 0
    /// `server_ejects`: times a backend was ejected.
    public var serverEjects: UInt64 = 0
    /// `forward_error`: requests that could not be forwarded.
    public var forwardErrors: UInt64 = 0
    /// `fragments`: fragments created from multi-key requests.
    public var fragments: UInt64 = 0
    /// The pool's servers, in configuration order.
    public var servers: [TwemproxyServerStats]

    /// Creates a pool entry with every counter at zero.
    public init(name: String, servers: [TwemproxyServerStats] = []) {
        self.name = name
        self.servers = servers
    }

    func write(to writer: inout TwemproxyJSONWriter) {
        writer.beginObject(self.name)
        writer.field("client_eof", self.clientEOF)
        writer.field("client_err", self.clientErrors)
        writer.field("client_connections", self.clientConnections)
        writer.field("server_ejects", self.serverEjects)
        writer.field("forward_error", self.forwardErrors)
        writer.field("fragments", self.fragments)
        for server in self.servers {
            server.write(to: &writer)
        }
        writer.endObject()
    }
}
