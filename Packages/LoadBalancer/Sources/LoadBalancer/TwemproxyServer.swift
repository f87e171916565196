/// One entry of a `nutcracker.yml` `servers:` list: `host:port:weight [name]`.
///
/// Ketama hashes the entry's `ketamaName`: the `name` when one is given, otherwise `host:port`, or just `host`
/// when the port is 11211 (twemproxy keeps libmemcached's rule there).
///
/// ```swift
/// let server = TwemproxyServer(parsing: "10.0.0.1:6379:2 shard-a")!
/// assert(server.port == 6379 && server.weight == 2 && server.ketamaName == "shard-a")
/// ```
public struct TwemproxyServer: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address.
    public var host: String

    /// The TCP port.
    public var port: Int

    /// The weight, at least 1.
    public var weight: Int

    /// The optional name after the address.
    public var name: String?

    /// A server entry from its parts.
    public init(host: String, port: Int, weight: Int = 1, name: String? = nil) {
        self.host = host
        self.port = port
        self.weight = weight
        self.name = name
    }

    /// Parses `host:port:weight [name]`. Returns `nil` when a part is missing, the port is out of range or the
    /// weight is not positive.
    public init?(parsing entry: String) {
        let trimmed = entry.split(separator: " ", omittingEmptySubsequences: true)
        guard trimmed.count == 1 || trimmed.count == 2 else { return nil }
        let address = trimmed[0].split(separator: ":", omittingEmptySubsequences: false)
        guard address.count >= 3,
            let weight = Int(address[address.count - 1]), weight >= 1,
            let port = Int(address[address.count - 2]), (1...65535).contains(port)
        else { return nil }
        let host = address[0..<(address.count - 2)].joined(separator: ":")
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port, weight: weight, name: trimmed.count == 2 ? String(trimmed[1]) : nil)
    }

    /// The string twemproxy's ketama hashes to place this server.
    public var ketamaName: String {
        if let name { return name }
        return self.port == 11211 ? self.host : "\(self.host):\(self.port)"
    }

    /// The entry as `servers:` writes it.
    public var description: String {
        let address = "\(self.host):\(self.port):\(self.weight)"
        return self.name.map { "\(address) \($0)" } ?? address
    }

    /// The server as a weighted endpoint named for ketama.
    public var weightedEndpoint: WeightedEndpoint<TwemproxyServer> {
        WeightedEndpoint(self, weight: self.weight, name: self.ketamaName)
    }
}
