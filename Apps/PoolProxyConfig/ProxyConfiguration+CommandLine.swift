import LoadBalancer

extension ProxyConfiguration {
    /// The single pool named `default` that `pool-proxy --listen ... --backend ...` describes, with twemproxy's
    /// defaults for everything not given.
    ///
    /// ```swift
    /// // pool-proxy --listen 127.0.0.1:7000 --backend 127.0.0.1:6379 --backend 127.0.0.1:6380:2
    /// let configuration = try ProxyConfiguration.commandLine(
    ///     listen: "127.0.0.1:7000",
    ///     backends: ["127.0.0.1:6379", "127.0.0.1:6380:2"]
    /// )
    /// assert(configuration.pools[0].servers[1].weight == 2)
    /// ```
    ///
    /// - Parameters:
    ///   - listen: `host:port`, `[v6]:port` or `/path/to.sock [0666]` (`--listen`).
    ///   - backends: `host:port[:weight]` each, weight 1 when left out; `[v6]:port[:weight]` for IPv6
    ///     (`--backend`, repeatable).
    ///   - hash: A twemproxy hash name (`--hash`).
    ///   - hashTag: Two characters such as `{}`, or `nil` for none (`--hash-tag`).
    ///   - distribution: `ketama`, `modula` or `random` (`--distribution`).
    ///   - timeout: Milliseconds a request to a server may take; `nil` or 0 waits forever (`--timeout`).
    /// - Throws: ``ConfigurationError`` whose key is the flag, such as `--backend`, and whose file is empty.
    public static func commandLine(
        listen: String,
        backends: [String],
        hash: String = TwemproxyHash.fnv1a64.configName,
        hashTag: String? = nil,
        distribution: String = TwemproxyDistribution.ketama.rawValue,
        timeout: Int? = nil
    ) throws(ConfigurationError) -> ProxyConfiguration {
        func failure(_ flag: String, _ reason: String) -> ConfigurationError {
            ConfigurationError(file: "", key: flag, line: nil, reason: reason)
        }
        let address: ListenAddress
        do {
            address = try ListenAddress.parse(listen)
        } catch {
            throw failure("--listen", error.reason)
        }
        var pool = ServerPoolConfiguration(name: "default", listen: address)
        guard let hashFunction = TwemproxyHash(configName: hash) else {
            let names = TwemproxyHash.allCases.map(\.configName).joined(separator: ", ")
            throw failure("--hash", "unknown hash '\(hash)'; expected one of \(names)")
        }
        pool.hash = hashFunction
        if let hashTag {
            guard let tag = TwemproxyHashTag(hashTag) else {
                throw failure("--hash-tag", "expected exactly two characters such as \"{}\", found '\(hashTag)'")
            }
            pool.hashTag = tag
        }
        guard let mode = TwemproxyDistribution(rawValue: distribution) else {
            let names = TwemproxyDistribution.allCases.map(\.rawValue).joined(separator: ", ")
            throw failure("--distribution", "unknown distribution '\(distribution)'; expected one of \(names)")
        }
        pool.distribution = mode
        if let timeout {
            guard timeout >= 0 else { throw failure("--timeout", "must not be negative, found \(timeout)") }
            pool.timeout = timeout == 0 ? nil : .milliseconds(timeout)
        }
        guard !backends.isEmpty else { throw failure("--backend", "at least one --backend host:port is required") }
        var seen: Set<String> = []
        for backend in backends {
            let server: TwemproxyServer
            do {
                server = try TwemproxyServer.parseEntry(backend, commandLine: true)
            } catch {
                throw failure("--backend", error.reason)
            }
            let address = ListenAddress.tcp(host: server.host, port: server.port)
            guard seen.insert(address.bindingIdentity).inserted else {
                throw failure("--backend", "duplicate backend \(address)")
            }
            pool.servers.append(server)
        }
        return ProxyConfiguration(pools: [pool])
    }
}
