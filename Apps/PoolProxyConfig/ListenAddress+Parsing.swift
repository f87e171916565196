extension ListenAddress {
    /// Parses twemproxy's `listen:` forms: `host:port`, `[v6]:port` (or bare `v6:port`, split at the last colon as
    /// twemproxy does), and `/path/to.sock` with optional octal permissions (`/tmp/proxy.sock 0666`).
    ///
    /// ```swift
    /// let socket = try ListenAddress(parsing: "/var/run/pool-proxy.sock 0660")
    /// assert(socket == .unix(path: "/var/run/pool-proxy.sock", permissions: 0o660))
    /// ```
    ///
    /// - Throws: ``ConfigurationError`` with the key `listen` and no file.
    public init(parsing text: String) throws(ConfigurationError) {
        do {
            self = try Self.parse(text)
        } catch {
            throw ConfigurationError(file: "", key: "listen", line: nil, reason: error.reason)
        }
    }

    static let forms = "host:port, [v6]:port or /path/to.sock [0666]"

    static func parse(_ text: String) throws(ConfigurationProblem) -> ListenAddress {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw ConfigurationProblem("missing address; expected \(Self.forms)") }
        if trimmed.hasPrefix("/") { return try Self.parseUnix(trimmed) }
        guard !trimmed.contains(where: { $0 == " " || $0 == "\t" }) else {
            throw ConfigurationProblem("'\(trimmed)' is not \(Self.forms)")
        }
        let host: Substring
        let port: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else {
                throw ConfigurationProblem("'\(trimmed)' has an unclosed '['; expected \(Self.forms)")
            }
            host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ConfigurationProblem("missing port in '\(trimmed)'") }
            port = rest.dropFirst()
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else {
                throw ConfigurationProblem("'\(trimmed)' is not \(Self.forms)")
            }
            host = trimmed[..<colon]
            port = trimmed[trimmed.index(after: colon)...]
        }
        guard !host.isEmpty else { throw ConfigurationProblem("missing host in '\(trimmed)'") }
        return .tcp(host: String(host), port: try NumberSyntax.port(port, in: trimmed))
    }

    private static func parseUnix(_ text: String) throws(ConfigurationProblem) -> ListenAddress {
        guard let space = text.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
            return .unix(path: text, permissions: nil)
        }
        let path = String(text[..<space]).trimmingSpaces
        let mode = text[text.index(after: space)...]
        guard !mode.isEmpty, mode.count <= 4, mode.allSatisfy({ ("0"..."7").contains($0) }),
            let permissions = UInt16(mode, radix: 8), permissions <= 0o777
        else {
            throw ConfigurationProblem("invalid socket permissions '\(mode)'; expected octal such as 0666")
        }
        return .unix(path: path, permissions: permissions)
    }

    /// What two pools must not share: the host and port, or the socket path (whatever its permissions).
    var bindingIdentity: String {
        switch self {
        case .tcp(let host, let port): "tcp \(host.lowercased()) \(port)"
        case .unix(let path, _): "unix \(path)"
        }
    }
}
