import LoadBalancer

extension TwemproxyServer {
    /// Parses a `servers:` entry (`host:port:weight [name]`, weight required, as twemproxy does) or, with
    /// `commandLine`, a `--backend` (`host:port[:weight]`, weight 1 when left out). IPv6 hosts may be bracketed;
    /// unbracketed ones are split at the last colons, as twemproxy does.
    static func parseEntry(_ text: String, commandLine: Bool) throws(ConfigurationProblem) -> TwemproxyServer {
        let form = commandLine ? "host:port[:weight]" : "host:port:weight [name]"
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty else { throw ConfigurationProblem("empty entry; expected '\(form)'") }
        guard words.count == 1 || (words.count == 2 && !commandLine) else {
            throw ConfigurationProblem("'\(text)' is not '\(form)'")
        }
        let address = String(words[0])
        if address.hasPrefix("/") {
            throw ConfigurationProblem("Unix socket servers ('\(address)') are not supported; use '\(form)'")
        }
        let host: String
        var rest: [Substring]
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else {
                throw ConfigurationProblem("'\(address)' has an unclosed '['; expected '\(form)'")
            }
            host = String(address[address.index(after: address.startIndex)..<close])
            let tail = address[address.index(after: close)...]
            guard tail.hasPrefix(":") else { throw ConfigurationProblem("missing port in '\(address)'") }
            rest = tail.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
        } else {
            let parts = address.split(separator: ":", omittingEmptySubsequences: false)
            switch (commandLine, parts.count) {
            case (_, 1):
                throw ConfigurationProblem("missing port in '\(address)'; expected '\(form)'")
            case (false, 2):
                throw ConfigurationProblem("missing weight in '\(address)'; expected '\(form)'")
            case (false, _):
                host = parts.dropLast(2).joined(separator: ":")
                rest = Array(parts.suffix(2))
            case (true, 2), (true, 3):
                host = String(parts[0])
                rest = Array(parts.dropFirst())
            case (true, _):
                throw ConfigurationProblem(
                    "'\(address)' has too many colons; write IPv6 addresses in brackets, such as [::1]:6379"
                )
            }
        }
        guard !host.isEmpty else { throw ConfigurationProblem("missing host in '\(address)'") }
        if rest.count == 1 && !commandLine {
            throw ConfigurationProblem("missing weight in '\(address)'; expected '\(form)'")
        }
        guard rest.count == 1 || rest.count == 2 else { throw ConfigurationProblem("'\(address)' is not '\(form)'") }
        let port = try NumberSyntax.port(rest[0], in: address)
        var weight = 1
        if rest.count == 2 {
            guard NumberSyntax.isInteger(rest[1]) else {
                throw ConfigurationProblem("invalid weight '\(rest[1])' in '\(address)'")
            }
            guard let value = Int(rest[1]), value <= NumberSyntax.maximum else {
                throw ConfigurationProblem("weight \(rest[1]) is too large; at most \(NumberSyntax.maximum)")
            }
            guard value >= 1 else { throw ConfigurationProblem("weight must be at least 1, found \(value)") }
            weight = value
        }
        return TwemproxyServer(host: host, port: port, weight: weight, name: words.count == 2 ? String(words[1]) : nil)
    }
}
