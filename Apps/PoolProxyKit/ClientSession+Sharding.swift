import NIOCore
import RESPCodec

/// Routing in a pool of several servers, twemproxy-style: a key's hash picks its server; multi-key commands
/// whose keys land on several servers are split and merged; keyless admin commands fan out; whatever cannot
/// work across servers is refused with an `-ERR` that says why, and the client stays connected.
extension ClientSession {
    /// Routes the bulk of a sharded pool's traffic, a command whose one key comes right after its name (GET, SET,
    /// INCR, HGET...), from the request's bytes in place: no argument array and no lookup by arguments, which were
    /// a tenth of a cluster pool's time. Nil for any other request, which takes ``dispatchSharded(_:command:)``,
    /// as does one whose key no server takes (that path says why).
    func dispatchSingleKey(_ request: RESPToken) -> Bool? {
        guard case .multiplexed = self.mode, self.isAuthenticated, !self.isHoldingClusterTransaction,
            let head = RESPCommandTable.head(of: request), let command = head.command, let key = head.firstArgument,
            command.subcommands.isEmpty, command.traits.isDisjoint(with: Self.generalPathTraits),
            command.acceptsArgumentCount(head.argumentCount),
            let keys = command.keyRange(argumentCount: head.argumentCount), keys.lowerBound == 1, keys.upperBound == 1
        else { return nil }
        if self.loopPool.isCluster {
            let slot = LoopPool.slot(forKey: key)
            guard let master = self.loopPool.server(forSlot: slot) else { return nil }
            self.loopPool.tally.counts.requestsByClass[CommandClass(command).rawValue] &+= 1
            return self.forward(request, command: command, toMaster: master, ofSlot: slot)
        }
        guard let server = self.loopPool.serverIndex(forKey: key) else { return nil }
        self.loopPool.tally.counts.requestsByClass[CommandClass(command).rawValue] &+= 1
        self.forward(request.base, to: server)
        return true
    }

    /// Commands that need more than a key to route: answered by the proxy, fanned out, pinned, split or refused.
    private static let generalPathTraits: RESPCommandTraits = [
        .keyless, .transaction, .subscription, .monitor, .sessionState, .blocking, .multiShard,
    ]

    func dispatchSharded(_ request: RESPToken, command: RESPCommandSpec?) -> Bool {
        guard let command else {
            self.replyLocally(ProxyReply.unknownCommand(self.arguments))
            return true
        }
        guard command.acceptsArgumentCount(self.arguments.count) else {
            // Redis names the command as its table does, lowercase, `container|subcommand` for a subcommand.
            self.replyLocally(ProxyReply.wrongArity(command.name))
            return true
        }
        let traits = command.traits
        // Every command the proxy answers or fans out itself is keyless: keyed commands, nearly all traffic, skip
        // the comparisons by name.
        if traits.contains(.keyless), self.dispatchKeylessLocally(request, command: command) { return true }
        if self.loopPool.isCluster, self.isHoldingClusterTransaction || traits.contains(.transaction),
            let handled = self.dispatchClusterTransaction(command)
        {
            return handled
        }
        if traits.contains(.subscription) { return self.pin(server: 0) }
        if traits.contains(.monitor) {
            self.refuse("MONITOR is not supported in a sharded pool; run it on each server")
            return true
        }
        if traits.contains(.sessionState) {
            self.refuse(
                "\(Self.displayName(command)) is not supported in a sharded pool: it would change the state of a "
                    + "shared connection"
            )
            return true
        }
        if traits.contains(.transaction) {
            self.refuse(
                "\(Self.displayName(command)) is not supported in a sharded pool: a transaction cannot span servers"
            )
            return true
        }
        command.keyIndices(in: self.arguments, into: &self.keyIndices)
        guard !self.keyIndices.isEmpty else {
            self.refuse(
                "\(Self.displayName(command)) is not supported in a sharded pool: it has no key to pick a server by"
            )
            return true
        }
        if self.loopPool.isCluster { return self.dispatchToSlot(request, command: command) }
        self.keyServers.removeAll(keepingCapacity: true)
        for index in self.keyIndices {
            guard let server = self.loopPool.serverIndex(forKey: self.arguments[index]) else {
                self.loopPool.tally.counts.forwardErrors &+= 1
                self.refuse(
                    "no server available in pool '\(self.loopPool.runtime.configuration.name)': all are ejected"
                )
                return true
            }
            self.keyServers.append(server)
        }
        let first = self.keyServers[0]
        if self.keyServers.allSatisfy({ $0 == first }) {
            if traits.contains(.blocking) { return self.pin(server: first) }
            self.forward(request.base, to: first)
            return true
        }
        if traits.contains(.multiShard), command.name != "msetnx" {
            self.split(command)
            return true
        }
        let servers = Set(self.keyServers).sorted().map { self.loopPool.runtime.serverNames[$0] }
        self.refuse(
            "\(Self.displayName(command)) keys map to different servers (\(servers.joined(separator: ", "))); use a "
                + "hash tag to keep them together"
        )
        return true
    }

    /// The keyless commands a sharded pool answers itself or sends to every server; false for any other.
    private func dispatchKeylessLocally(_ request: RESPToken, command: RESPCommandSpec) -> Bool {
        switch command.name {
        case "ping":
            self.replyLocally(self.arguments.count > 1 ? ProxyReply.bulkString(self.arguments[1]) : ProxyReply.pong)
        case "echo":
            self.replyLocally(ProxyReply.bulkString(self.arguments[1]))
        case "select":
            let database = String(buffer: self.arguments[1])
            if Int(database) == self.loopPool.runtime.configuration.redisDatabase {
                self.replyLocally(ProxyReply.ok)
            } else {
                self.refuse(
                    "SELECT is not supported in a sharded pool; every client uses redis_db "
                        + "\(self.loopPool.runtime.configuration.redisDatabase)"
                )
            }
        case "info":
            self.info(request.base)
        case "dbsize":
            self.fanOut(request.base, kind: .sumOfIntegers)
        case "flushall", "flushdb":
            self.fanOut(request.base, kind: .allOK)
        case "keys":
            self.fanOut(request.base, kind: .concatenatedArrays)
        case "scan":
            self.scan()
        case "randomkey":
            self.forward(request.base, to: self.loopPool.randomServer())
        case "publish":
            self.forward(request.base, to: 0)
        default:
            return false
        }
        return true
    }

    /// A keyed command in a cluster pool, ``keyIndices`` filled: to the master of its keys' slot (or a replica,
    /// under `read_from`), split by slot when it may be, `-CROSSSLOT` otherwise, as Redis Cluster answers.
    private func dispatchToSlot(_ request: RESPToken, command: RESPCommandSpec) -> Bool {
        let slot = LoopPool.slot(forKey: self.arguments[self.keyIndices[0]])
        var sameSlot = true
        for index in self.keyIndices.dropFirst() where LoopPool.slot(forKey: self.arguments[index]) != slot {
            sameSlot = false
            break
        }
        guard sameSlot else {
            guard command.traits.contains(.multiShard), command.name != "msetnx" else {
                self.replyLocally(ProxyReply.crossSlot)
                return true
            }
            self.keyServers.removeAll(keepingCapacity: true)
            for index in self.keyIndices {
                guard let server = self.loopPool.serverIndex(forKey: self.arguments[index]) else {
                    return self.slotNotServed()
                }
                self.keyServers.append(server)
            }
            self.split(command)
            return true
        }
        // Redis Cluster runs a multi-key command only when every key is in one slot, even on one node.
        guard let master = self.loopPool.server(forSlot: slot) else { return self.slotNotServed() }
        if command.traits.contains(.blocking) { return self.pin(server: master) }
        return self.forward(request, command: command, toMaster: master, ofSlot: slot)
    }

    /// Sends a cluster request to the master of its slot, or to one of its replicas under `read_from` when the
    /// command only reads.
    private func forward(_ request: RESPToken, command: RESPCommandSpec, toMaster master: Int, ofSlot slot: Int) -> Bool
    {
        let policy = self.loopPool.runtime.configuration.readFrom
        guard policy != .master, command.flags.contains(.readonly) else {
            self.forward(request.base, to: master)
            return true
        }
        guard let reader = self.loopPool.readServer(forMaster: master, policy: policy) else {
            self.refuse("read_from is replica, and the master of slot \(slot) has no replica in service")
            return true
        }
        self.forward(request.base, to: reader)
        return true
    }

    private func slotNotServed() -> Bool {
        self.loopPool.tally.counts.forwardErrors &+= 1
        self.loopPool.runtime.requestClusterRefresh()
        self.replyLocally(ProxyReply.error("CLUSTERDOWN Hash slot not served"))
        return true
    }

    private func refuse(_ reason: String) {
        self.replyLocally(ProxyReply.proxyError(reason))
    }

    static func displayName(_ command: RESPCommandSpec) -> String {
        command.name.replacingOccurrences(of: "|", with: " ").uppercased()
    }

    /// MGET, MSET, DEL, UNLINK, EXISTS, TOUCH: one request per server, merged in the client's key order.
    private func split(_ command: RESPCommandSpec) {
        let stride = command.name == "mset" ? 2 : 1
        // One part per server; in a cluster, one per slot, since a cluster node refuses keys of several slots.
        let isCluster = self.loopPool.isCluster
        var groupOfServer: [Int: Int] = [:]
        var groups: [(server: Int, keyPositions: [Int], arguments: [Int])] = []
        for (position, (argumentIndex, server)) in zip(self.keyIndices, self.keyServers).enumerated() {
            let groupKey = isCluster ? LoopPool.slot(forKey: self.arguments[argumentIndex]) : server
            let group: Int
            if let existing = groupOfServer[groupKey] {
                group = existing
            } else {
                group = groups.count
                groupOfServer[groupKey] = group
                groups.append((server, [], []))
            }
            groups[group].keyPositions.append(position)
            for offset in 0..<stride { groups[group].arguments.append(argumentIndex + offset) }
        }
        let kind: ReplyMergeKind
        switch command.name {
        case "mget": kind = .arrayByPosition(positions: groups.map(\.keyPositions), count: self.keyIndices.count)
        case "mset": kind = .allOK
        default: kind = .sumOfIntegers
        }
        let sequence = self.reserveSlot(.merging(FragmentedReply(kind: kind, partCount: groups.count)))
        self.loopPool.tally.counts.fragments &+= UInt64(groups.count)
        for (part, group) in groups.enumerated() {
            var request = ByteBuffer()
            request.writeRESPArrayHeader(count: 1 + group.arguments.count)
            request.writeRESPBulkString(self.arguments[0])
            for index in group.arguments { request.writeRESPBulkString(self.arguments[index]) }
            self.sendFragment(request, to: group.server, sequence: sequence, part: part)
        }
    }

    /// DBSIZE, FLUSHALL, FLUSHDB, KEYS: the same request to every server.
    private func fanOut(_ request: ByteBuffer, kind: ReplyMergeKind) {
        let servers = self.loopPool.fanOutServers
        let sequence = self.reserveSlot(.merging(FragmentedReply(kind: kind, partCount: servers.count)))
        self.loopPool.tally.counts.fragments &+= UInt64(servers.count)
        for (part, server) in servers.enumerated() {
            self.sendFragment(request, to: server, sequence: sequence, part: part)
        }
    }

    /// INFO asks every server (every master of a cluster) and merges their reports (``InfoMerger``), after the
    /// proxy's own `# Proxy` section; `INFO proxy` alone is answered by the proxy.
    private func info(_ request: ByteBuffer) {
        let sections = self.arguments.dropFirst().map { String(buffer: $0).lowercased() }
        let proxySection = self.loopPool.runtime.proxyInfo()
        if sections == ["proxy"] {
            self.replyLocally(ProxyReply.bulkString(ByteBuffer(string: proxySection)))
            return
        }
        let withProxy =
            sections.isEmpty || sections.contains { ["proxy", "all", "everything", "default"].contains($0) }
        self.fanOut(request, kind: .info(proxySection: withProxy ? proxySection : nil))
    }

    /// SCAN walks the servers one after the other; the cursor carries which one (see ``ScanCursor``).
    private func scan() {
        let fanOutServers = self.loopPool.fanOutServers
        let servers = fanOutServers.count
        guard let cursor = UInt64(String(buffer: self.arguments[1])) else {
            self.replyLocally(ProxyReply.error("ERR invalid cursor"))
            return
        }
        let (position, backendCursor) = ScanCursor.decode(cursor, serverCount: servers)
        var request = ByteBuffer()
        request.writeRESPArrayHeader(count: self.arguments.count)
        for (index, argument) in self.arguments.enumerated() {
            if index == 1 {
                request.writeRESPBulkString(String(backendCursor))
            } else {
                request.writeRESPBulkString(argument)
            }
        }
        let kind = ReplyMergeKind.scan(server: position, serverCount: servers)
        let sequence = self.reserveSlot(.merging(FragmentedReply(kind: kind, partCount: 1)))
        self.sendFragment(request, to: fanOutServers[position], sequence: sequence, part: 0)
    }

    private func sendFragment(_ request: ByteBuffer, to server: Int, sequence: UInt64, part: Int) {
        let target = ReplyTarget.fragment(self, sequence: sequence, part: part)
        if let failure = self.loopPool.servers[server].send(
            request,
            to: target,
            now: self.now,
            protocolVersion: self.protocolVersion
        ) {
            self.loopPool.tally.counts.forwardErrors &+= 1
            self.receiveFragment(try! RESPToken(validating: failure)!, sequence: sequence, part: part)
        }
    }
}
