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
                pool.redisAuth = try self.secret(node, path, what: "password")
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
            case .clientParkAfter:
                let milliseconds = try self.milliseconds(node, path, minimum: 0)
                pool.clientParkAfter = milliseconds == 0 ? nil : .milliseconds(milliseconds)
            case .clientMaxBulkLength:
                pool.clientMaxBulkLength = try self.integer(node, path, minimum: 1, maximum: Int.max)
            case .connectTimeout:
                pool.connectTimeout = .milliseconds(try self.milliseconds(node, path, minimum: 1))
            case .clientAuth:
                pool.clientAuth = try self.clientAuth(node, path)
            case .backendAuth:
                pool.backendAuth = try self.backendAuth(node, path)
            case .tls:
                pool.tls = try self.clientTLS(node, path)
            case .backendTLS:
                pool.backendTLS = try self.backendTLS(node, path)
            case .cluster:
                pool.cluster = try self.bool(node, path)
            case .clusterRefreshInterval:
                pool.clusterRefreshInterval = .milliseconds(try self.milliseconds(node, path, minimum: 100))
            case .maxRedirects:
                pool.maxRedirects = try self.integer(node, path, minimum: 1, maximum: 100)
            case .readFrom:
                let text = try self.string(node, path, expecting: "master, prefer_replica or replica")
                guard let policy = ClusterReadPolicy(rawValue: text) else {
                    throw self.fail(path, node, "expected master, prefer_replica or replica, found '\(text)'")
                }
                pool.readFrom = policy
            }
        }
        if let clientAuth = pool.clientAuth {
            let path = "\(name).\(PoolKey.clientAuth.rawValue)"
            let node = settings.first { $0.key.text == PoolKey.clientAuth.rawValue }?.value
            if clientAuth.users.isEmpty && pool.redisAuth == nil {
                throw self.fail(path, node, "no users; add users, or remove client_auth to let every client in")
            }
            if pool.redisAuth != nil, clientAuth.users.contains(where: { $0.name == "default" }) {
                throw self.fail(
                    path,
                    node,
                    "redis_auth already sets the password of the user 'default'; remove one of the two"
                )
            }
        }
        guard let listenNode else { throw self.fail(name, nameNode, "missing required key 'listen'") }
        if pool.cluster && pool.redisDatabase != 0 {
            let node = settings.first { $0.key.text == PoolKey.redisDatabase.rawValue }?.value
            throw self.fail("\(name).redis_db", node, "a Redis Cluster has only database 0; remove redis_db")
        }
        if let tlsListen = pool.tls?.listen, tlsListen.bindingIdentity == pool.listen.bindingIdentity {
            let node = settings.first { $0.key.text == PoolKey.tls.rawValue }?.value
            throw self.fail(
                "\(name).tls.listen",
                node,
                "\(tlsListen) is also the pool's plain listen address; omit tls.listen to make listen TLS-only"
            )
        }
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

    private func clientAuth(_ node: Node, _ path: String) throws(ConfigurationError) -> ClientAuthSettings? {
        guard let settings = try self.section(node, path) else { return nil }
        var auth = ClientAuthSettings()
        for (keyNode, value) in settings {
            switch try self.sectionKey(keyNode, path, ["users", "failure_delay"]) {
            case "users":
                auth.users = try self.clientUsers(value, "\(path).users")
            default:
                auth.failureDelay = .milliseconds(try self.milliseconds(value, "\(path).failure_delay", minimum: 0))
            }
        }
        return auth
    }

    private func clientUsers(_ node: Node, _ path: String) throws(ConfigurationError) -> [ClientUser] {
        guard case .sequence(let entries) = node else {
            throw self.fail(path, node, "expected a list of users (name, password_sha256), found \(node.found)")
        }
        var users: [ClientUser] = []
        for (index, entry) in entries.enumerated() {
            let entryPath = "\(path)[\(index)]"
            guard case .mapping(let fields) = entry else {
                throw self.fail(
                    entryPath,
                    entry,
                    "expected a mapping with name and password_sha256, found \(entry.found)"
                )
            }
            var name: String?
            var digest: PasswordDigest?
            for (keyNode, value) in fields {
                switch try self.sectionKey(keyNode, entryPath, ["name", "password_sha256"]) {
                case "name":
                    let text = try self.string(value, "\(entryPath).name", expecting: "a user name")
                    guard !text.isEmpty, !text.contains(where: { $0 == " " || $0.isNewline }) else {
                        throw self.fail("\(entryPath).name", value, "a user name must be non-empty, without spaces")
                    }
                    name = text
                default:
                    let fieldPath = "\(entryPath).password_sha256"
                    let hex = try self.secret(value, fieldPath, what: "password digest")
                    guard let parsed = PasswordDigest(hex: hex.trimmingWhitespace()) else {
                        throw self.fail(
                            fieldPath,
                            value,
                            "expected 64 hexadecimal digits (printf %s 'password' | sha256sum), found something else"
                        )
                    }
                    digest = parsed
                }
            }
            guard let name else { throw self.fail(entryPath, entry, "missing required key 'name'") }
            guard let digest else { throw self.fail(entryPath, entry, "missing required key 'password_sha256'") }
            if users.contains(where: { $0.name == name }) {
                throw self.fail("\(entryPath).name", entry, "duplicate user '\(name)'")
            }
            users.append(ClientUser(name: name, passwordDigest: digest))
        }
        return users
    }

    private func backendAuth(_ node: Node, _ path: String) throws(ConfigurationError) -> BackendAuthSettings? {
        guard case .mapping(let settings) = node else {
            if node.text == "false" { return nil }
            throw self.fail(path, node, "expected a mapping with username and password, found \(node.found)")
        }
        var username: String?
        var password: String?
        for (keyNode, value) in settings {
            switch try self.sectionKey(keyNode, path, ["username", "password"]) {
            case "username":
                let text = try self.string(value, "\(path).username", expecting: "a user name")
                guard !text.isEmpty else { throw self.fail("\(path).username", value, "the user name is empty") }
                username = text
            default:
                password = try self.secret(value, "\(path).password", what: "password")
            }
        }
        guard let password else { throw self.fail(path, node, "missing required key 'password'") }
        return BackendAuthSettings(username: username, password: password)
    }

    private func clientTLS(_ node: Node, _ path: String) throws(ConfigurationError) -> ClientTLSSettings? {
        guard let settings = try self.section(node, path) else { return nil }
        var listen: ListenAddress?
        var certificateFile: String?
        var keyFile: String?
        var clientCAFile: String?
        var minimumVersion = TLSMinimumVersion.v1_2
        for (keyNode, value) in settings {
            let key = try self.sectionKey(keyNode, path, ["listen", "cert_file", "key_file", "ca_file", "min_version"])
            let keyPath = "\(path).\(key)"
            switch key {
            case "listen":
                let text = try self.string(value, keyPath, expecting: "an address (\(ListenAddress.forms))")
                do {
                    listen = try ListenAddress.parse(text)
                } catch {
                    throw self.fail(keyPath, value, error.reason)
                }
            case "cert_file": certificateFile = try self.readableFile(value, keyPath)
            case "key_file": keyFile = try self.readableFile(value, keyPath)
            case "ca_file": clientCAFile = try self.readableFile(value, keyPath)
            default:
                let text = try self.string(value, keyPath, expecting: "\"1.2\" or \"1.3\"")
                guard let version = TLSMinimumVersion(rawValue: text) else {
                    throw self.fail(
                        keyPath,
                        value,
                        "expected \"1.2\" or \"1.3\" (older versions are never accepted), found '\(text)'"
                    )
                }
                minimumVersion = version
            }
        }
        guard let certificateFile else { throw self.fail(path, node, "missing required key 'cert_file'") }
        guard let keyFile else { throw self.fail(path, node, "missing required key 'key_file'") }
        var tls = ClientTLSSettings(certificateFile: certificateFile, keyFile: keyFile)
        tls.listen = listen
        tls.clientCAFile = clientCAFile
        tls.minimumVersion = minimumVersion
        return tls
    }

    private func backendTLS(_ node: Node, _ path: String) throws(ConfigurationError) -> BackendTLSSettings? {
        guard let settings = try self.section(node, path) else { return nil }
        var tls = BackendTLSSettings()
        for (keyNode, value) in settings {
            let key = try self.sectionKey(keyNode, path, ["ca_file", "server_name", "cert_file", "key_file", "verify"])
            let keyPath = "\(path).\(key)"
            switch key {
            case "ca_file": tls.caFile = try self.readableFile(value, keyPath)
            case "server_name":
                let text = try self.string(value, keyPath, expecting: "a host name")
                guard !text.isEmpty else { throw self.fail(keyPath, value, "the server name is empty") }
                tls.serverName = text
            case "cert_file": tls.certificateFile = try self.readableFile(value, keyPath)
            case "key_file": tls.keyFile = try self.readableFile(value, keyPath)
            default: tls.verify = try self.bool(value, keyPath)
            }
        }
        if (tls.certificateFile == nil) != (tls.keyFile == nil) {
            throw self.fail(
                path,
                node,
                "cert_file and key_file go together: give both for a client certificate, or neither"
            )
        }
        return tls
    }

    /// A path to a file the proxy can read now, so a typo fails at load rather than at the first connection.
    private func readableFile(_ node: Node, _ path: String) throws(ConfigurationError) -> String {
        let file = try self.string(node, path, expecting: "a file path")
        guard !file.isEmpty else { throw self.fail(path, node, "the path is empty") }
        do {
            _ = try TextFile.contents(of: file)
        } catch {
            throw self.fail(path, node, "\(file): \(error.reason)")
        }
        return file
    }

    /// A secret: the text itself, `{ file: PATH }` (one trailing newline is dropped) or `{ env: NAME }`. Errors
    /// name where the secret was looked for, never what it holds.
    private func secret(_ node: Node, _ path: String, what: String) throws(ConfigurationError) -> String {
        let value: String
        if case .mapping(let source) = node {
            guard source.count == 1, let (keyNode, target) = source.first else {
                throw self.fail(path, node, "expected the \(what), { file: PATH } or { env: NAME }")
            }
            let kind = try self.sectionKey(keyNode, path, ["file", "env"])
            let name = try self.string(target, "\(path).\(kind)", expecting: kind == "file" ? "a path" : "a name")
            if kind == "file" {
                do {
                    value = try TextFile.contents(of: name).droppingOneTrailingNewline()
                } catch {
                    throw self.fail("\(path).file", target, "\(name): \(error.reason)")
                }
                guard !value.isEmpty else { throw self.fail("\(path).file", target, "\(name) is empty") }
            } else {
                guard let text = TextFile.environment(name) else {
                    throw self.fail("\(path).env", target, "the environment variable \(name) is not set")
                }
                guard !text.isEmpty else {
                    throw self.fail("\(path).env", target, "the environment variable \(name) is empty")
                }
                value = text
            }
        } else {
            guard let text = node.text else {
                throw self.fail(
                    path,
                    node,
                    "expected the \(what), { file: PATH } or { env: NAME }, found \(node.found)"
                )
            }
            guard !text.isEmpty else { throw self.fail(path, node, "the \(what) is empty") }
            value = text
        }
        return value
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
