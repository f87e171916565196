import LoadBalancer
internal import Yams

/// Turns the composed YAML tree of a `nutcracker.yml` into pools. Stops at the first problem and reports it with
/// its key path and line.
struct NutcrackerDecoder {
    let file: String

    func decode(yaml: String) throws(ConfigurationError) -> ProxyConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw self.syntaxError(error)
        } catch {
            throw ConfigurationError(file: self.file, key: "", line: nil, reason: "invalid YAML: \(error)")
        }
        return try self.decode(root: root)
    }

    func decode(root: Node?) throws(ConfigurationError) -> ProxyConfiguration {
        guard let root, !root.isNull else { throw self.fail("", nil, "the file has no pools") }
        guard case .mapping(let entries) = root else {
            throw self.fail("", root, "expected a mapping of pool names to pools, found \(root.found)")
        }
        guard !entries.isEmpty else { throw self.fail("", root, "the file has no pools") }
        var pools: [ServerPoolConfiguration] = []
        var listeners: [String: String] = [:]
        for (nameNode, value) in entries {
            guard let name = nameNode.text, !name.isEmpty else {
                throw self.fail("", nameNode, "pool names must be non-empty strings, found \(nameNode.found)")
            }
            let (pool, listenNode) = try self.decodePool(name: name, nameNode: nameNode, value: value)
            if let other = listeners[pool.listen.bindingIdentity] {
                throw self.fail(
                    "\(name).listen",
                    listenNode,
                    "\(pool.listen) is already the listen address of pool '\(other)'"
                )
            }
            listeners[pool.listen.bindingIdentity] = name
            pools.append(pool)
        }
        return ProxyConfiguration(pools: pools)
    }

    // MARK: - Pools

    private func decodePool(
        name: String,
        nameNode: Node,
        value: Node
    ) throws(ConfigurationError) -> (ServerPoolConfiguration, Node) {
        guard case .mapping(let settings) = value else {
            throw self.fail(name, value, "expected a mapping of pool settings, found \(value.found)")
        }
        var pool = ServerPoolConfiguration(name: name, listen: .tcp(host: "", port: 0))
        var listenNode: Node?
        var serversNode: Node?
        for (keyNode, node) in settings {
            let keyName = keyNode.text ?? ""
            guard let key = PoolKey(rawValue: keyName) else {
                let hint = PoolKey.suggestion(for: keyName).map { "; did you mean '\($0)'?" } ?? ""
                throw self.fail("\(name).\(keyName)", keyNode, "unknown key '\(keyName)'\(hint)")
            }
            let path = "\(name).\(keyName)"
            switch key {
            case .listen:
                let text = try self.string(node, path, expecting: "an address (\(ListenAddress.forms))")
                do {
                    pool.listen = try ListenAddress.parse(text)
                } catch {
                    throw self.fail(path, node, error.reason)
                }
                listenNode = node
            case .hash:
                let text = try self.string(node, path, expecting: "a hash name")
                guard let hash = TwemproxyHash(configName: text) else {
                    let names = TwemproxyHash.allCases.map(\.configName).joined(separator: ", ")
                    throw self.fail(path, node, "unknown hash '\(text)'; expected one of \(names)")
                }
                pool.hash = hash
            case .hashTag:
                if case .mapping = node {
                    throw self.fail(path, node, "found a mapping; quote the two characters, as in hash_tag: \"{}\"")
                }
                let text = try self.string(node, path, expecting: "two characters such as \"{}\"")
                guard let tag = TwemproxyHashTag(text) else {
                    throw self.fail(path, node, "expected exactly two characters such as \"{}\", found '\(text)'")
                }
                pool.hashTag = tag
            case .distribution:
                let text = try self.string(node, path, expecting: "a distribution name")
                guard let distribution = TwemproxyDistribution(rawValue: text) else {
                    let names = TwemproxyDistribution.allCases.map(\.rawValue).joined(separator: ", ")
                    throw self.fail(path, node, "unknown distribution '\(text)'; expected one of \(names)")
                }
                pool.distribution = distribution
            case .timeout:
                let milliseconds = try self.milliseconds(node, path, minimum: 0)
                pool.timeout = milliseconds == 0 ? nil : .milliseconds(milliseconds)
            case .backlog:
                pool.backlog = try self.integer(node, path, minimum: 0)
            case .preconnect:
                pool.preconnect = try self.bool(node, path)
            case .redis:
                guard try self.bool(node, path) else {
                    throw self.fail(
                        path,
                        node,
                        "memcached pools (redis: false) are not supported; pool-proxy speaks only the Redis protocol"
                    )
                }
                pool.redis = true
            case .redisAuth:
                let password = try self.string(node, path, expecting: "a password")
                guard !password.isEmpty else { throw self.fail(path, node, "the password is empty") }
                pool.redisAuth = password
            case .redisDatabase:
                pool.redisDatabase = try self.integer(node, path, minimum: 0)
            case .serverConnections:
                pool.serverConnections = try self.integer(node, path, minimum: 1)
            case .autoEjectHosts:
                pool.autoEjectHosts = try self.bool(node, path)
            case .serverRetryTimeout:
                pool.serverRetryTimeout = .milliseconds(try self.milliseconds(node, path, minimum: 0))
            case .serverFailureLimit:
                // twemproxy ejects on the first failure when the limit is 0, exactly as with 1.
                pool.serverFailureLimit = max(1, try self.integer(node, path, minimum: 0))
            case .clientConnections:
                pool.clientConnections = try self.integer(node, path, minimum: 0)
            case .tcpKeepAlive:
                pool.tcpKeepAlive = try self.bool(node, path)
            case .servers:
                pool.servers = try self.servers(node, path)
                serversNode = node
            case .healthCheck:
                pool.healthCheck = try self.healthCheck(node, path)
            case .circuitBreaker:
                pool.circuitBreaker = try self.circuitBreaker(node, path)
            case .dedicatedConnections:
                pool.dedicatedConnections = try self.integer(node, path, minimum: 1)
            case .clientMaxPending:
                pool.clientMaxPending = try self.integer(node, path, minimum: 1)
            case .clientMaxOutputBytes:
                pool.clientMaxOutputBytes = try self.integer(node, path, minimum: 1, maximum: Int.max)
            case .clientIdleTimeout:
                let milliseconds = try self.milliseconds(node, path, minimum: 0)
                pool.clientIdleTimeout = milliseconds == 0 ? nil : .milliseconds(milliseconds)
            case .clientMaxBulkLength:
                pool.clientMaxBulkLength = try self.integer(node, path, minimum: 1, maximum: Int.max)
            case .connectTimeout:
                pool.connectTimeout = .milliseconds(try self.milliseconds(node, path, minimum: 1))
            }
        }
        guard let listenNode else { throw self.fail(name, nameNode, "missing required key 'listen'") }
        guard serversNode != nil else { throw self.fail(name, nameNode, "missing required key 'servers'") }
        return (pool, listenNode)
    }

    private func servers(_ node: Node, _ path: String) throws(ConfigurationError) -> [TwemproxyServer] {
        if node.isNull { throw self.fail(path, node, "the pool has no servers") }
        guard case .sequence(let entries) = node else {
            throw self.fail(path, node, "expected a list of 'host:port:weight [name]' entries, found \(node.found)")
        }
        guard !entries.isEmpty else { throw self.fail(path, node, "the pool has no servers") }
        var servers: [TwemproxyServer] = []
        var addresses: [String: Int] = [:]
        var names: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let entryPath = "\(path)[\(index)]"
            guard let text = entry.text else {
                throw self.fail(entryPath, entry, "expected 'host:port:weight [name]', found \(entry.found)")
            }
            let server: TwemproxyServer
            do {
                server = try TwemproxyServer.parseEntry(text, commandLine: false)
            } catch {
                throw self.fail(entryPath, entry, error.reason)
            }
            let address = ListenAddress.tcp(host: server.host, port: server.port)
            if let first = addresses[address.bindingIdentity] {
                throw self.fail(entryPath, entry, "duplicate server address \(address) (also servers[\(first)])")
            }
            if let first = names[server.ketamaName] {
                throw self.fail(
                    entryPath,
                    entry,
                    "duplicate server name '\(server.ketamaName)' (also servers[\(first)])"
                )
            }
            addresses[address.bindingIdentity] = index
            names[server.ketamaName] = index
            servers.append(server)
        }
        return servers
    }

    // MARK: - Extensions

    private func healthCheck(_ node: Node, _ path: String) throws(ConfigurationError) -> HealthCheckSettings? {
        guard let settings = try self.section(node, path) else { return nil }
        var check = HealthCheckSettings()
        for (keyNode, value) in settings {
            switch try self.sectionKey(
                keyNode,
                path,
                ["interval", "timeout", "healthy_threshold", "unhealthy_threshold"]
            ) {
            case "interval":
                check.interval = .milliseconds(try self.milliseconds(value, "\(path).interval", minimum: 1))
            case "timeout": check.timeout = .milliseconds(try self.milliseconds(value, "\(path).timeout", minimum: 1))
            case "healthy_threshold":
                check.healthyThreshold = try self.integer(value, "\(path).healthy_threshold", minimum: 1)
            default:
                check.unhealthyThreshold = try self.integer(value, "\(path).unhealthy_threshold", minimum: 1)
            }
        }
        return check
    }

    private func circuitBreaker(_ node: Node, _ path: String) throws(ConfigurationError) -> CircuitBreakerSettings? {
        guard let settings = try self.section(node, path) else { return nil }
        let keys = ["failure_rate", "window", "minimum_calls", "open_duration", "max_open_duration"]
        var breaker = CircuitBreakerSettings()
        var seen: [String: Node] = [:]
        for (keyNode, value) in settings {
            let key = try self.sectionKey(keyNode, path, keys)
            seen[key] = value
            switch key {
            case "failure_rate": breaker.failureRatePercent = try self.percent(value, "\(path).failure_rate")
            case "window": breaker.windowSize = try self.integer(value, "\(path).window", minimum: 1)
            case "minimum_calls": breaker.minimumCalls = try self.integer(value, "\(path).minimum_calls", minimum: 1)
            case "open_duration":
                breaker.openDuration = .milliseconds(try self.milliseconds(value, "\(path).open_duration", minimum: 1))
            default:
                breaker.maxOpenDuration = .milliseconds(
                    try self.milliseconds(value, "\(path).max_open_duration", minimum: 1)
                )
            }
        }
        if breaker.minimumCalls > breaker.windowSize {
            let blamed = seen["minimum_calls"] != nil ? "minimum_calls" : "window"
            throw self.fail(
                "\(path).\(blamed)",
                seen[blamed],
                "minimum_calls (\(breaker.minimumCalls)) is larger than window (\(breaker.windowSize))"
            )
        }
        if breaker.maxOpenDuration < breaker.openDuration {
            let blamed = seen["max_open_duration"] != nil ? "max_open_duration" : "open_duration"
            throw self.fail(
                "\(path).\(blamed)",
                seen[blamed],
                "max_open_duration (\(breaker.maxOpenDuration.wholeMilliseconds)) is shorter than open_duration "
                    + "(\(breaker.openDuration.wholeMilliseconds))"
            )
        }
        return breaker
    }

    /// A settings mapping; `nil` for `false`; an empty mapping for `true` (all defaults).
    private func section(_ node: Node, _ path: String) throws(ConfigurationError) -> Node.Mapping? {
        if case .mapping(let mapping) = node { return mapping }
        switch node.text {
        case "false", "False", "FALSE": return nil
        case "true", "True", "TRUE": return Node.Mapping([])
        default: throw self.fail(path, node, "expected a mapping of settings or false, found \(node.found)")
        }
    }

    private func sectionKey(_ keyNode: Node, _ path: String, _ keys: [String]) throws(ConfigurationError) -> String {
        let name = keyNode.text ?? ""
        guard keys.contains(name) else {
            let hint = PoolKey.suggestion(for: name, among: keys).map { "did you mean '\($0)'? " } ?? ""
            throw self.fail(
                "\(path).\(name)",
                keyNode,
                "unknown key '\(name)'; \(hint)expected one of \(keys.joined(separator: ", "))"
            )
        }
        return name
    }

    // MARK: - Scalars

    private func string(_ node: Node, _ path: String, expecting what: String) throws(ConfigurationError) -> String {
        guard let text = node.text else { throw self.fail(path, node, "expected \(what), found \(node.found)") }
        return text
    }

    private func bool(_ node: Node, _ path: String) throws(ConfigurationError) -> Bool {
        switch node.text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw self.fail(path, node, "expected true or false, found \(node.found)")
        }
    }

    private func integer(
        _ node: Node,
        _ path: String,
        minimum: Int,
        maximum: Int = NumberSyntax.maximum,
        what: String = "an integer"
    ) throws(ConfigurationError) -> Int {
        guard let text = node.text, NumberSyntax.isInteger(text) else {
            throw self.fail(path, node, "expected \(what), found \(node.found)")
        }
        guard let value = NumberSyntax.integer(text), value <= maximum else {
            if text.hasPrefix("-") { throw self.fail(path, node, "must be at least \(minimum), found \(text)") }
            throw self.fail(path, node, "must be at most \(maximum), found \(text)")
        }
        guard value >= minimum else {
            if minimum == 0 { throw self.fail(path, node, "must not be negative, found \(value)") }
            throw self.fail(path, node, "must be at least \(minimum), found \(value)")
        }
        return value
    }

    private func milliseconds(_ node: Node, _ path: String, minimum: Int) throws(ConfigurationError) -> Int {
        try self.integer(node, path, minimum: minimum, what: "an integer number of milliseconds")
    }

    private func percent(_ node: Node, _ path: String) throws(ConfigurationError) -> Double {
        guard let text = node.text, let value = Double(text), value.isFinite,
            text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" })
        else {
            throw self.fail(path, node, "expected a percentage, found \(node.found)")
        }
        guard value > 0, value <= 100 else {
            throw self.fail(path, node, "must be more than 0 and at most 100 (percent), found \(text)")
        }
        return value
    }

    // MARK: - Errors

    private func fail(_ key: String, _ node: Node?, _ reason: String) -> ConfigurationError {
        ConfigurationError(file: self.file, key: key, line: node?.mark?.line, reason: reason)
    }

    private func syntaxError(_ error: YamlError) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ConfigurationError(
                file: self.file,
                key: "",
                line: mark.line,
                reason: "invalid YAML: \(problem)\(detail)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return ConfigurationError(
                file: self.file,
                key: "",
                line: context.mark.line,
                reason: "duplicate key \(keys); each key may appear only once in a mapping"
            )
        case .reader(let problem, _, _, _):
            return ConfigurationError(file: self.file, key: "", line: nil, reason: "unreadable YAML: \(problem)")
        default:
            return ConfigurationError(file: self.file, key: "", line: nil, reason: "invalid YAML: \(error)")
        }
    }
}
