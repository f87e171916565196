/// Why a configuration was refused: the file, the key path (`alpha.servers[1]`, `beta.hash`, `--backend`), the
/// line when known, and the reason.
///
/// ```swift
/// do {
///     _ = try ProxyConfiguration.load(file: "nutcracker.yml")
/// } catch {
///     print(error)  // nutcracker.yml:12: alpha.hash: unknown hash 'fnv9'; expected one of fnv1a_64, fnv1_64, ...
/// }
/// ```
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file as it was named to the loader; empty for command-line flags.
    public var file: String
    /// The path to the offending key, such as `alpha.servers[1]` or `--backend`; empty when the problem concerns
    /// the whole file (a YAML syntax error, an empty file).
    public var key: String
    /// The 1-based line in `file`, when known.
    public var line: Int?
    /// What is wrong, in words meant for the person editing the file.
    public var reason: String

    /// An error from its parts.
    public init(file: String, key: String, line: Int?, reason: String) {
        self.file = file
        self.key = key
        self.line = line
        self.reason = reason
    }

    /// `file:line: key: reason`, leaving out the parts that are unknown.
    public var description: String {
        var parts: [String] = []
        switch (self.file.isEmpty, self.line) {
        case (false, let line?): parts.append("\(self.file):\(line)")
        case (false, nil): parts.append(self.file)
        case (true, let line?): parts.append("line \(line)")
        case (true, nil): break
        }
        if !self.key.isEmpty { parts.append(self.key) }
        parts.append(self.reason)
        return parts.joined(separator: ": ")
    }
}
