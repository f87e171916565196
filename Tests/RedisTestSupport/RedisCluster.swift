import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway Redis Cluster of `redis-server` processes on free loopback ports, for integration tests.
///
/// Topology questions (`masters()`, `owner(ofSlot:)`, ...) are answered live from `CLUSTER NODES`, so they
/// follow failovers and reshards. Every node logs to a file in ``directory``.
///
/// ```swift
/// let cluster = try RedisCluster.start(masters: 3, replicasPerMaster: 1)
/// defer { cluster.stop() }
/// let master = try cluster.owner(ofSlot: try cluster.keySlot("user:1"))
/// cluster.kill(port: master)
/// let promoted = try cluster.waitForFailover(of: master, timeout: .seconds(15))
/// ```
public final class RedisCluster: Sendable {
    public struct ClusterError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// One `redis-server` of the cluster. Its port and its `nodes-<port>.conf` survive ``RedisCluster/restart(port:)``.
    ///
    /// ```swift
    /// let reply = try cluster.nodes[0].cli(["-c", "GET", "greeting"])
    /// ```
    public final class Node: Sendable {
        public let port: Int
        fileprivate let logFile: URL
        private let executable: String
        private let cliExecutable: String
        private let arguments: [String]
        private let process: NIOLockedValueBox<Process?>

        fileprivate init(port: Int, directory: URL, executable: String, cliExecutable: String) {
            self.port = port
            self.logFile = directory.appendingPathComponent("redis-\(port).log")
            self.executable = executable
            self.cliExecutable = cliExecutable
            // One dump file per node: replicas write the RDB they receive into the shared directory. No diskless
            // sync delay: the default waits 5 s for more replicas before every full sync, which only slows tests.
            self.arguments = [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path,
                "--cluster-enabled", "yes",
                "--cluster-config-file", directory.appendingPathComponent("nodes-\(port).conf").path,
                "--cluster-node-timeout", "1000", "--appendonly", "no", "--save", "",
                "--dbfilename", "dump-\(port).rdb", "--logfile", self.logFile.path, "--repl-diskless-sync-delay", "0",
            ]
            self.process = NIOLockedValueBox(nil)
        }

        /// The process id while the node runs.
        public var pid: Int32? {
            self.process.withLockedValue { process in
                guard let process, process.isRunning else { return nil }
                return process.processIdentifier
            }
        }

        public var isRunning: Bool {
            self.process.withLockedValue { $0?.isRunning ?? false }
        }

        /// Runs `redis-cli -h 127.0.0.1 -p <port>` with `arguments` and returns its standard output.
        public func cli(_ arguments: [String]) throws -> String {
            try RedisCluster.runTool(self.cliExecutable, ["-h", "127.0.0.1", "-p", String(self.port)] + arguments)
                .output
        }

        fileprivate func cli(input: String) throws -> String {
            try RedisCluster.runTool(self.cliExecutable, ["-h", "127.0.0.1", "-p", String(self.port)], input: input)
                .output
        }

        fileprivate func launch(timeout: Duration) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: self.executable)
            process.arguments = self.arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try self.process.withLockedValue { current in
                try ProcessLauncher.run(process)
                current = process
            }
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                guard let pid = self.pid else { break }
                if RedisCluster.canConnect(port: self.port), RedisServer.owns(pid: pid, listenerOn: self.port) {
                    return
                }
                usleep(20_000)
            }
            self.kill()
            throw ClusterError(
                description: "redis-server did not come up on 127.0.0.1:\(self.port)\n\(self.logTail())"
            )
        }

        fileprivate func kill() {
            self.process.withLockedValue { process in
                guard let process, process.isRunning else { return }
                // Children of test threads inherit a blocked signal mask, so SIGTERM may never arrive.
                sendSIGKILL(process.processIdentifier)
                process.waitUntilExit()
            }
        }

        fileprivate func logTail(lines: Int = 20) -> String {
            let text = (try? String(contentsOf: self.logFile, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            return "--- last lines of \(self.logFile.path) ---\n" + tail.joined(separator: "\n")
        }
    }

    /// The nodes in start order, then those ``addMaster()`` added; roles change at runtime, ask ``masters()`` for
    /// the current ones.
    public var nodes: [Node] { self.nodeList.withLockedValue { $0 } }
    /// The temporary directory holding the nodes' logs, `nodes-<port>.conf` files and `redis-cli` outputs.
    public let directory: URL
    public let replicasPerMaster: Int
    private let nodeList: NIOLockedValueBox<[Node]>
    /// Masters that ``addMaster()`` added: they have no replicas, and settling does not wait for any.
    private let addedMasters: NIOLockedValueBox<Set<Int>>
    private let executable: String
    private let cliExecutable: String
    private let masterSnapshots: NIOLockedValueBox<[Int: MasterSnapshot]>
    private let toolRuns: NIOLockedValueBox<Int>

    private init(nodes: [Node], directory: URL, replicasPerMaster: Int, executable: String, cliExecutable: String) {
        self.nodeList = NIOLockedValueBox(nodes)
        self.addedMasters = NIOLockedValueBox([])
        self.directory = directory
        self.replicasPerMaster = replicasPerMaster
        self.executable = executable
        self.cliExecutable = cliExecutable
        self.masterSnapshots = NIOLockedValueBox([:])
        self.toolRuns = NIOLockedValueBox(0)
    }

    /// Starts `masters * (1 + replicasPerMaster)` nodes, joins them with `redis-cli --cluster create` and waits
    /// until every node serves all 16384 slots with the same view and every master has its replicas attached.
    public static func start(masters: Int = 3, replicasPerMaster: Int = 1) throws -> RedisCluster {
        guard masters >= 3 else {
            throw ClusterError(description: "redis-cli --cluster create needs at least 3 masters, got \(masters)")
        }
        guard let executable = RedisServer.which("redis-server"), let cliExecutable = RedisServer.which("redis-cli")
        else {
            throw ClusterError(description: "redis-server or redis-cli is not installed; run Scripts/test")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("redis-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var nodes: [Node] = []
        do {
            var taken = Set<Int>()
            for _ in 0..<(masters * (1 + replicasPerMaster)) {
                let node = try Self.startNode(
                    directory: directory,
                    executable: executable,
                    cliExecutable: cliExecutable,
                    taken: &taken
                )
                nodes.append(node)
            }
            let cluster = RedisCluster(
                nodes: nodes,
                directory: directory,
                replicasPerMaster: replicasPerMaster,
                executable: executable,
                cliExecutable: cliExecutable
            )
            let create = try cluster.runClusterTool(
                name: "create",
                ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" } + [
                    "--cluster-replicas", String(replicasPerMaster), "--cluster-yes",
                ]
            )
            do {
                try cluster.waitUntilSettled(timeout: .seconds(20), requireReplicas: true, what: "cluster creation")
            } catch let error as ClusterError {
                throw ClusterError(description: "\(error.description)\n--- redis-cli --cluster create ---\n\(create)")
            }
            return cluster
        } catch {
            for node in nodes { node.kill() }
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Kills every node and removes ``directory``.
    public func stop() {
        for node in self.nodes { node.kill() }
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The ports of the healthy masters, ascending.
    public func masters() throws -> [Int] {
        let view = try self.liveView()
        return view.entries.filter { $0.isMaster && $0.isHealthy }.map(\.port).sorted()
    }

    /// The ports of the healthy replicas of the master on `masterPort`, ascending.
    public func replicas(of masterPort: Int) throws -> [Int] {
        let view = try self.liveView()
        return view.replicas(ofPort: masterPort).sorted()
    }

    /// The slots the master on `masterPort` serves now, ascending.
    ///
    /// ```swift
    /// let slots = try cluster.slots(of: try cluster.masters()[0])
    /// ```
    public func slots(of masterPort: Int) throws -> [Int] {
        let view = try self.liveView()
        return view.entries.filter { $0.port == masterPort && $0.isMaster }.flatMap { $0.slots.flatMap { Array($0) } }
            .sorted()
    }

    /// The slot of `key`, as `CLUSTER KEYSLOT` computes it.
    public func keySlot(_ key: String) throws -> Int {
        let node = try self.anyRunningNode()
        let reply = try node.cli(["CLUSTER", "KEYSLOT", key]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let slot = Int(reply) else {
            throw ClusterError(description: "CLUSTER KEYSLOT on \(node.port) answered \(reply.debugDescription)")
        }
        return slot
    }

    /// The port of the healthy master serving `slot` now.
    public func owner(ofSlot slot: Int) throws -> Int {
        guard (0..<View.slotCount).contains(slot) else {
            throw ClusterError(description: "slot \(slot) is not in 0..<\(View.slotCount)")
        }
        let owner = try self.liveView().owners()[slot]
        guard owner >= 0 else { throw ClusterError(description: "no healthy master serves slot \(slot)") }
        return owner
    }

    /// Starts one more node and joins it as a master without slots (`redis-cli --cluster add-node`), then waits
    /// until every node sees it; ``reshard(slots:from:to:)`` gives it slots. Returns its port.
    ///
    /// ```swift
    /// let port = try cluster.addMaster()
    /// try cluster.reshard(slots: 1000, from: try cluster.masters()[0], to: port)
    /// ```
    public func addMaster() throws -> Int {
        var taken = Set(self.nodes.flatMap { [$0.port, $0.port + 10000] })
        let node = try Self.startNode(
            directory: self.directory,
            executable: self.executable,
            cliExecutable: self.cliExecutable,
            taken: &taken
        )
        self.nodeList.withLockedValue { $0.append(node) }
        self.addedMasters.withLockedValue { _ = $0.insert(node.port) }
        guard let existing = try self.masters().first else {
            throw ClusterError(description: "no master to join \(node.port) to")
        }
        _ = try self.runClusterTool(
            name: "add-node",
            ["--cluster", "add-node", "127.0.0.1:\(node.port)", "127.0.0.1:\(existing)"]
        )
        try self.waitUntilSettled(timeout: .seconds(20), requireReplicas: false, what: "add-node \(node.port)")
        return node.port
    }

    /// Moves `slots` slots from one master to another with `redis-cli --cluster reshard`, then waits until every
    /// node agrees on the new layout.
    ///
    /// ```swift
    /// try cluster.reshard(slots: 100, from: masters[0], to: masters[1])
    /// ```
    public func reshard(slots: Int, from sourcePort: Int, to targetPort: Int) throws {
        let sourceID = try self.nodeID(port: sourcePort)
        let targetID = try self.nodeID(port: targetPort)
        _ = try self.runClusterTool(
            name: "reshard",
            [
                "--cluster", "reshard", "127.0.0.1:\(sourcePort)", "--cluster-from", sourceID, "--cluster-to",
                targetID, "--cluster-slots", String(slots), "--cluster-yes",
            ]
        )
        try self.waitUntilSettled(
            timeout: .seconds(20),
            requireReplicas: self.nodes.allSatisfy(\.isRunning),
            what: "resharding"
        )
    }

    /// SIGKILLs the node on `port`; does nothing for a port that is not one of ``nodes``.
    ///
    /// Remembers the slots and replicas of a killed master for ``waitForFailover(of:timeout:)``.
    public func kill(port: Int) {
        guard let node = self.node(port: port) else { return }
        if let view = try? self.liveView(), let entry = view.entry(port: port), entry.isMaster, !entry.slots.isEmpty {
            let snapshot = MasterSnapshot(
                slots: entry.slots.flatMap { Array($0) },
                replicas: Set(view.replicas(ofPort: port))
            )
            self.masterSnapshots.withLockedValue { $0[port] = snapshot }
        }
        node.kill()
    }

    /// Starts the node on `port` again, with the same `nodes-<port>.conf`, and waits until it has rejoined.
    public func restart(port: Int) throws {
        guard let node = self.node(port: port) else {
            throw ClusterError(description: "no node of this cluster listens on \(port)")
        }
        node.kill()
        try node.launch(timeout: .seconds(10))
        self.masterSnapshots.withLockedValue { _ = $0.removeValue(forKey: port) }
        try self.waitUntilSettled(
            timeout: .seconds(20),
            requireReplicas: self.nodes.allSatisfy(\.isRunning),
            what: "restart of \(port)"
        )
    }

    /// Waits until a replica of the killed master serves all of its slots and every live node reports
    /// `cluster_state:ok` with the same view; returns the promoted replica's port.
    ///
    /// ```swift
    /// cluster.kill(port: master)
    /// let promoted = try cluster.waitForFailover(of: master, timeout: .seconds(15))
    /// ```
    public func waitForFailover(of killedMasterPort: Int, timeout: Duration) throws -> Int {
        let snapshot =
            try self.masterSnapshots.withLockedValue { $0[killedMasterPort] } ?? self.currentSnapshot(killedMasterPort)
        let deadline = ContinuousClock.now + timeout
        var problem = Problem(port: nil, message: "not checked yet")
        while true {
            if let unsettled = self.settlementProblem(requireReplicas: false) {
                problem = unsettled
            } else {
                let owners = try self.liveView().owners()
                let servers = Set(snapshot.slots.map { owners[$0] })
                if servers.count == 1, let promoted = servers.first, snapshot.replicas.contains(promoted) {
                    return promoted
                }
                problem = Problem(
                    port: nil,
                    message: "the slots of \(killedMasterPort) are served by \(servers.sorted()), "
                        + "not by one of its replicas \(snapshot.replicas.sorted())"
                )
            }
            guard ContinuousClock.now < deadline else { break }
            usleep(100_000)
        }
        throw ClusterError(
            description: "no failover of \(killedMasterPort) within \(timeout): \(problem.message)"
                + (problem.port.flatMap { self.node(port: $0) }.map { "\n" + $0.logTail() } ?? "")
        )
    }
}

private func sendSIGKILL(_ pid: pid_t) {
    _ = kill(pid, SIGKILL)
}

extension RedisCluster {
    /// What a master served just before it was killed.
    private struct MasterSnapshot: Sendable {
        let slots: [Int]
        let replicas: Set<Int>
    }

    private struct Problem {
        let port: Int?
        let message: String
    }

    /// One node's `CLUSTER NODES` answer.
    private struct View {
        static let slotCount = 16384

        struct Entry {
            let id: String
            let port: Int
            let flags: Set<String>
            let masterID: String?
            let slots: [ClosedRange<Int>]
            let hasOpenSlots: Bool

            var isMaster: Bool { self.flags.contains("master") }
            var isHealthy: Bool { self.flags.isDisjoint(with: ["fail", "fail?", "handshake", "noaddr"]) }
        }

        let entries: [Entry]

        /// Parses lines like `<id> 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460 [93->-<id>]`.
        init?(clusterNodes text: String) {
            var entries: [Entry] = []
            for line in text.split(whereSeparator: \.isNewline) {
                let fields = line.split(separator: " ")
                guard fields.count >= 8, fields[0].count == 40 else { continue }
                let address = fields[1].split(separator: "@")[0]
                guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...])
                else { continue }
                var slots: [ClosedRange<Int>] = []
                var hasOpenSlots = false
                for token in fields.dropFirst(8) {
                    if token.hasPrefix("[") {
                        hasOpenSlots = true
                    } else if let dash = token.firstIndex(of: "-"), let low = Int(token[..<dash]),
                        let high = Int(token[token.index(after: dash)...])
                    {
                        slots.append(low...high)
                    } else if let slot = Int(token) {
                        slots.append(slot...slot)
                    }
                }
                entries.append(
                    Entry(
                        id: String(fields[0]),
                        port: port,
                        flags: Set(fields[2].split(separator: ",").map(String.init)),
                        masterID: fields[3] == "-" ? nil : String(fields[3]),
                        slots: slots,
                        hasOpenSlots: hasOpenSlots
                    )
                )
            }
            guard !entries.isEmpty else { return nil }
            self.entries = entries
        }

        func entry(port: Int) -> Entry? {
            self.entries.first { $0.port == port && $0.isHealthy } ?? self.entries.first { $0.port == port }
        }

        func replicas(ofPort port: Int) -> [Int] {
            guard let master = self.entry(port: port) else { return [] }
            return self.entries.filter { $0.masterID == master.id && !$0.isMaster && $0.isHealthy }.map(\.port)
        }

        /// The port serving each slot, or -1 where no healthy master does.
        func owners() -> [Int] {
            var owners = Array(repeating: -1, count: Self.slotCount)
            for entry in self.entries where entry.isMaster && entry.isHealthy {
                for range in entry.slots { for slot in range { owners[slot] = entry.port } }
            }
            return owners
        }

        /// The healthy nodes' roles and slots, independent of which node answered.
        var layout: String {
            let ports = Dictionary(self.entries.map { ($0.id, $0.port) }, uniquingKeysWith: { first, _ in first })
            return self.entries.filter(\.isHealthy).sorted { $0.port < $1.port }.map { entry in
                let master = entry.masterID.flatMap { ports[$0] }.map(String.init) ?? "-"
                let slots = entry.slots.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
                return "\(entry.port) \(entry.isMaster ? "master" : "replica") of:\(master) slots:\(slots)"
            }.joined(separator: "\n")
        }
    }

    private func node(port: Int) -> Node? {
        self.nodes.first { $0.port == port }
    }

    private func anyRunningNode() throws -> Node {
        guard let node = self.nodes.first(where: \.isRunning) else {
            throw ClusterError(description: "no node of the cluster is running")
        }
        return node
    }

    private func nodeID(port: Int) throws -> String {
        guard let node = self.node(port: port) else {
            throw ClusterError(description: "no node of this cluster listens on \(port)")
        }
        let id = try node.cli(["CLUSTER", "MYID"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard id.count == 40 else { throw ClusterError(description: "CLUSTER MYID on \(port) answered \(id)") }
        return id
    }

    /// The `CLUSTER NODES` view of the first running node that answers.
    private func liveView() throws -> View {
        for node in self.nodes where node.isRunning {
            if let view = View(clusterNodes: try node.cli(["CLUSTER", "NODES"])) { return view }
        }
        throw ClusterError(description: "no running node answered CLUSTER NODES")
    }

    private func currentSnapshot(_ port: Int) throws -> MasterSnapshot {
        let view = try self.liveView()
        guard let entry = view.entry(port: port), entry.isMaster, !entry.slots.isEmpty else {
            throw ClusterError(description: "\(port) was not a master serving slots when it was killed")
        }
        return MasterSnapshot(slots: entry.slots.flatMap { Array($0) }, replicas: Set(view.replicas(ofPort: port)))
    }

    private func waitUntilSettled(timeout: Duration, requireReplicas: Bool, what: String) throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard let problem = self.settlementProblem(requireReplicas: requireReplicas) else { return }
            guard ContinuousClock.now < deadline else {
                throw ClusterError(
                    description: "\(what): the cluster did not settle within \(timeout): \(problem.message)"
                        + (problem.port.flatMap { self.node(port: $0) }.map { "\n" + $0.logTail() } ?? "")
                )
            }
            usleep(100_000)
        }
    }

    /// Nil when every running node reports `cluster_state:ok`, sees every running node as healthy, has all slots
    /// served with none migrating, and agrees with the others on the layout; otherwise the first thing that is off.
    /// With `requireReplicas`, each master serving slots also needs `replicasPerMaster` replicas with a link up.
    private func settlementProblem(requireReplicas: Bool) -> Problem? {
        let running = self.nodes.filter(\.isRunning)
        var agreed: (port: Int, layout: String)?
        for node in running {
            let reply: String
            do {
                reply = try node.cli(input: "CLUSTER INFO\nINFO replication\nCLUSTER NODES\n")
            } catch {
                return Problem(port: node.port, message: "redis-cli failed against \(node.port): \(error)")
            }
            var info: [String: String] = [:]
            for line in reply.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, !line.contains(" ") { info[String(parts[0])] = String(parts[1]) }
            }
            guard info["cluster_state"] == "ok" else {
                return Problem(
                    port: node.port,
                    message: "\(node.port) reports cluster_state:\(info["cluster_state"] ?? "?")"
                )
            }
            guard let view = View(clusterNodes: reply) else {
                return Problem(port: node.port, message: "\(node.port) answered no CLUSTER NODES")
            }
            for other in running where view.entry(port: other.port)?.isHealthy != true {
                return Problem(port: node.port, message: "\(node.port) does not see \(other.port) as a healthy node")
            }
            if view.entries.contains(where: \.hasOpenSlots) {
                return Problem(port: node.port, message: "\(node.port) still has migrating or importing slots")
            }
            let unserved = view.owners().count { $0 < 0 }
            guard unserved == 0 else {
                return Problem(port: node.port, message: "\(node.port) sees \(unserved) slots without a healthy master")
            }
            if requireReplicas {
                if info["role"] == "slave", info["master_link_status"] != "up" {
                    return Problem(port: node.port, message: "replica \(node.port) has no replication link up yet")
                }
                let added = self.addedMasters.withLockedValue { $0 }
                for master in view.entries
                where master.isMaster && master.isHealthy && !master.slots.isEmpty && !added.contains(master.port) {
                    let replicas = view.replicas(ofPort: master.port)
                    if replicas.count != self.replicasPerMaster {
                        return Problem(
                            port: node.port,
                            message: "\(node.port) sees \(replicas.count) replicas of \(master.port), "
                                + "want \(self.replicasPerMaster)"
                        )
                    }
                }
            }
            let layout = view.layout
            if let agreed, agreed.layout != layout {
                return Problem(
                    port: node.port,
                    message: "\(node.port) and \(agreed.port) disagree:\n\(layout)\n--- vs ---\n\(agreed.layout)"
                )
            }
            agreed = (node.port, layout)
        }
        return running.isEmpty ? Problem(port: nil, message: "no node is running") : nil
    }

    /// Runs `redis-cli <arguments>` (a `--cluster` subcommand), keeps its output in the directory and throws
    /// with that output when it fails.
    @discardableResult
    private func runClusterTool(name: String, _ arguments: [String]) throws -> String {
        let run = self.toolRuns.withLockedValue { count in
            count += 1
            return count
        }
        let result = try Self.runTool(self.cliExecutable, arguments, combineStandardError: true)
        let log = self.directory.appendingPathComponent("redis-cli-\(run)-\(name).log")
        try? Data(result.output.utf8).write(to: log)
        guard result.status == 0 else {
            let tails = self.nodes.filter { !$0.isRunning }.map { "\n" + $0.logTail() }.joined()
            throw ClusterError(
                description: "redis-cli \(arguments.prefix(2).joined(separator: " ")) exited with \(result.status)"
                    + "\n--- redis-cli output ---\n\(result.output)\(tails)"
            )
        }
        return result.output
    }

    fileprivate static func runTool(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil,
        combineStandardError: Bool = false
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = combineStandardError ? output : FileHandle.nullDevice
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        try ProcessLauncher.run(process)
        if let input, let inputPipe {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inputPipe.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts one node on a port whose cluster bus port (`port + 10000`) is free too.
    private static func startNode(
        directory: URL,
        executable: String,
        cliExecutable: String,
        taken: inout Set<Int>
    ) throws -> Node {
        var lastError: Error = ClusterError(description: "no free port pair found")
        for _ in 0..<10 {
            let port = try Self.freeClusterPort(excluding: taken)
            let node = Node(port: port, directory: directory, executable: executable, cliExecutable: cliExecutable)
            do {
                try node.launch(timeout: .seconds(10))
                taken.formUnion([port, port + 10000])
                return node
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func freeClusterPort(excluding taken: Set<Int>) throws -> Int {
        for _ in 0..<200 {
            let port = try RedisServer.freeLoopbackPort()
            guard port + 10000 <= 65535, taken.isDisjoint(with: [port, port + 10000]),
                Self.canBind(port: port + 10000), RedisServer.claim(port: port + 10000)
            else { continue }
            return port
        }
        throw ClusterError(description: "found no free loopback port P with P + 10000 free as well")
    }

    private static func canBind(port: Int) -> Bool {
        Self.withLoopbackSocket(port: port) { fd, address, length in bind(fd, address, length) == 0 }
    }

    fileprivate static func canConnect(port: Int) -> Bool {
        Self.withLoopbackSocket(port: port) { fd, address, length in connect(fd, address, length) == 0 }
    }

    private static func withLoopbackSocket(
        port: Int,
        _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}
