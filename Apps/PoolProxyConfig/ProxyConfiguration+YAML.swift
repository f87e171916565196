extension ProxyConfiguration {
    /// Reads and validates a twemproxy `nutcracker.yml`, with pool-proxy's extension keys allowed.
    ///
    /// ```swift
    /// do {
    ///     let configuration = try ProxyConfiguration.load(file: "/etc/pool-proxy/nutcracker.yml")
    ///     print(configuration.pools.map(\.name))
    /// } catch {
    ///     print(error)  // /etc/pool-proxy/nutcracker.yml:7: alpha.timeout: must not be negative, found -1
    /// }
    /// ```
    ///
    /// - Parameter file: The path; error messages name the file as given here.
    /// - Throws: ``ConfigurationError`` for the first problem found, including an unreadable file.
    public static func load(file: String) throws(ConfigurationError) -> ProxyConfiguration {
        try ProxyConfiguration(yaml: try Self.readText(file: file), file: file)
    }

    /// Parses and validates the text of a `nutcracker.yml`.
    ///
    /// ```swift
    /// let configuration = try ProxyConfiguration(
    ///     yaml: """
    ///         alpha:
    ///           listen: 127.0.0.1:22121
    ///           redis: true
    ///           servers:
    ///            - 127.0.0.1:6379:1
    ///         """,
    ///     file: "nutcracker.yml"
    /// )
    /// assert(configuration.pools[0].servers.count == 1)
    /// ```
    ///
    /// - Parameters:
    ///   - yaml: The file's contents.
    ///   - file: The name error messages use.
    /// - Throws: ``ConfigurationError`` for the first problem found.
    public init(yaml: String, file: String) throws(ConfigurationError) {
        self = try NutcrackerDecoder(file: file).decode(yaml: yaml)
    }

    private static func readText(file: String) throws(ConfigurationError) -> String {
        do {
            return try TextFile.contents(of: file)
        } catch {
            throw ConfigurationError(file: file, key: "", line: nil, reason: error.reason)
        }
    }
}
