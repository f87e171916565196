/// The stats document twemproxy (nutcracker) serves on its stats port, with its exact names, nesting and spacing,
/// so dashboards and `nc host 22222` scripts written for twemproxy keep working.
///
/// ```swift
/// var stats = TwemproxyStats(source: "cache-1", uptime: 42, timestamp: 1_795_000_000)
/// stats.totalConnections = 7
/// stats.pools = [TwemproxyPoolStats(name: "alpha", servers: [TwemproxyServerStats(name: "127.0.0.1:6379")])]
/// let body = stats.json()  // {"service":"nutcracker", "source":"cache-1", ...}
/// ```
public struct TwemproxyStats: Sendable, Hashable {
    /// `service`: twemproxy writes `nutcracker`, which is what its tools look for.
    public var service: String
    /// `source`: the host name.
    public var source: String
    /// `version`: the twemproxy version this document imitates.
    public var version: String
    /// `uptime`: seconds since the proxy started.
    public var uptime: Int64
    /// `timestamp`: seconds since the epoch when the document was made.
    public var timestamp: Int64
    /// `total_connections`: connections accepted since start, clients and servers.
    public var totalConnections: UInt64 = 0
    /// `curr_connections`: connections open now.
    public var currentConnections: UInt64 = 0
    /// The pools, in configuration order.
    public var pools: [TwemproxyPoolStats]

    /// Creates a document with connection counts at zero.
    public init(
        service: String = "nutcracker",
        source: String,
        version: String = "0.5.0",
        uptime: Int64,
        timestamp: Int64,
        pools: [TwemproxyPoolStats] = []
    ) {
        self.service = service
        self.source = source
        self.version = version
        self.uptime = uptime
        self.timestamp = timestamp
        self.pools = pools
    }

    /// The document as twemproxy writes it, ending with a newline.
    public func json() -> String {
        var writer = TwemproxyJSONWriter()
        writer.beginDocument()
        writer.field("service", self.service)
        writer.field("source", self.source)
        writer.field("version", self.version)
        writer.field("uptime", self.uptime)
        writer.field("timestamp", self.timestamp)
        writer.field("total_connections", self.totalConnections)
        writer.field("curr_connections", self.currentConnections)
        for pool in self.pools {
            pool.write(to: &writer)
        }
        return writer.endDocument()
    }
}
