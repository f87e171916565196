import SocketIO

/// One thing to benchmark: one or more servers, connections spread over them round robin.
struct BenchTarget: Sendable, Hashable, CustomStringConvertible {
    var endpoints: [SocketEndpoint]

    struct InvalidTarget: Error, CustomStringConvertible {
        let description: String
    }

    /// `host:port`, `[v6]:port`, `port` (on 127.0.0.1), `unix:/path` or a path starting with `/`.
    static func parseEndpoint(_ text: String) throws(InvalidTarget) -> SocketEndpoint {
        if text.hasPrefix("unix:") { return .unixSocket(path: String(text.dropFirst(5))) }
        if text.hasPrefix("/") { return .unixSocket(path: text) }
        if let port = Int(text), (1...65_535).contains(port) { return .tcp(host: "127.0.0.1", port: port) }
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw InvalidTarget(description: "missing port in '\(text)'") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .tcp(host: text, port: 6379)
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65_535).contains(port) else {
            throw InvalidTarget(description: "invalid server '\(text)': use host:port, [ipv6]:port or unix:/path")
        }
        return .tcp(host: String(host), port: port)
    }

    var description: String { self.endpoints.map(\.description).joined(separator: ",") }
}
