import LoadBalancer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PoolProxyConfig
import SocketIO

extension ServerPoolRuntime {
    /// A cluster pool's current layout, shared by its loops (each keeps its own copy of the slot table).
    struct ClusterState: Sendable {
        var topology: ClusterTopology
        /// Every node the pool has met, by address: its server index.
        var nodeIndex: [ClusterTopology.Address: Int]
        var refreshing = false
        var lastRefresh: ContinuousClock.Instant = .now

        init(topology: ClusterTopology, nodes: [TwemproxyServer]) {
            self.topology = topology
            var nodeIndex: [ClusterTopology.Address: Int] = [:]
            for (index, node) in nodes.enumerated() {
                nodeIndex[ClusterTopology.Address(host: node.host, port: node.port)] = index
            }
            self.nodeIndex = nodeIndex
        }

        /// For each slot, the server index of its master; ``LoopPool/noServer`` where unknown.
        func slotTable() -> [UInt16] {
            self.topology.slotOwners().map { owner in
                owner.flatMap { self.nodeIndex[$0] }.map { UInt16($0) } ?? LoopPool.noServer
            }
        }

        /// For each master's server index, its replicas' server indices.
        func replicas() -> [Int: [Int]] {
            var replicas: [Int: [Int]] = [:]
            for shard in self.topology.shards {
                guard let master = self.nodeIndex[shard.master] else { continue }
                replicas[master] = shard.replicas.compactMap { self.nodeIndex[$0] }
            }
            return replicas
        }

        /// The server indices of the masters, for commands that fan out.
        func masters() -> [Int] {
            self.topology.shards.compactMap { self.nodeIndex[$0.master] }.sorted()
        }
    }

    /// Every node of the cluster as a server: masters first, then replicas, each once.
    static func clusterNodes(_ topology: ClusterTopology) -> [TwemproxyServer] {
        var seen: Set<ClusterTopology.Address> = []
        var nodes: [TwemproxyServer] = []
        let ordered = topology.shards.map(\.master) + topology.shards.flatMap(\.replicas)
        for address in ordered where seen.insert(address).inserted {
            nodes.append(TwemproxyServer(host: address.host, port: address.port))
        }
        return nodes
    }

    /// Reads the layout from the pool's seed nodes, with the pool's credentials and TLS.
    static func discoverCluster(
        _ configuration: ServerPoolConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) async throws -> ClusterTopology {
        let seeds = configuration.servers.map { ClusterTopology.Address(host: $0.host, port: $0.port) }
        return try await ClusterDiscovery.discover(
            from: seeds,
            configuration: try Self.discoveryConnection(configuration, logger: logger),
            eventLoopGroup: eventLoopGroup
        )
    }

    private static func discoveryConnection(
        _ configuration: ServerPoolConfiguration,
        logger: Logger
    ) throws -> RESPConnectionConfiguration {
        let credentials = configuration.serverCredentials
        return RESPConnectionConfiguration(
            socket: try Self.socketOptions(for: configuration, logger: nil),
            requestTimeout: configuration.connectTimeout + .seconds(1),
            handshake: RESPHandshake(username: credentials?.username, password: credentials?.password),
            logger: logger
        )
    }

    /// The slot table a new loop starts with.
    var clusterSlotTable: [UInt16]? {
        self.cluster?.withLockedValue { $0.slotTable() }
    }

    var clusterMasters: [Int] {
        self.cluster?.withLockedValue { $0.masters() } ?? []
    }

    var clusterReplicas: [Int: [Int]] {
        self.cluster?.withLockedValue { $0.replicas() } ?? [:]
    }

    /// The server index of a node named in a `MOVED` or `ASK` redirect; nil for a node the pool has not met yet.
    func clusterNode(host: String, port: Int) -> Int? {
        self.cluster?.withLockedValue { $0.nodeIndex[ClusterTopology.Address(host: host, port: port)] }
    }

    /// Re-reads the layout soon, unless a refresh is running or ran less than `minimumInterval` ago: redirects
    /// and lost nodes come in bursts, and one refresh answers them all.
    func requestClusterRefresh(minimumInterval: Duration = .milliseconds(200)) {
        guard self.beginClusterRefresh(minimumInterval: minimumInterval) else { return }
        self.spawn { await self.refreshCluster() }
    }

    /// Whether a refresh may start now (and marks it running): one at a time, at most one per `minimumInterval`.
    private func beginClusterRefresh(minimumInterval: Duration) -> Bool {
        self.cluster?.withLockedValue { state -> Bool in
            guard !state.refreshing, state.lastRefresh.duration(to: .now) >= minimumInterval else { return false }
            state.refreshing = true
            return true
        } ?? false
    }

    /// Asks the masters known now (then every other node) for the layout, adds the nodes that joined since, and
    /// gives every loop the new table. Runs only after ``beginClusterRefresh(minimumInterval:)`` said yes.
    func refreshCluster() async {
        guard
            let (masters, others) = self.cluster?.withLockedValue({ state in
                let masters = state.topology.shards.map(\.master)
                return (masters, state.nodeIndex.keys.filter { !masters.contains($0) })
            })
        else { return }
        do {
            let topology = try await ClusterDiscovery.discover(
                from: masters + others,
                configuration: try Self.discoveryConnection(self.configuration, logger: self.logger),
                eventLoopGroup: self.eventLoopGroup
            )
            // Nodes that joined the cluster since the pool last looked become servers of the pool before the
            // table that sends slots to them reaches the loops.
            var joined: [ClusterTopology.Address] = []
            for address in Self.clusterNodes(topology).map({ ClusterTopology.Address(host: $0.host, port: $0.port) })
            where self.cluster?.withLockedValue({ $0.nodeIndex[address] }) == nil {
                joined.append(address)
            }
            if let indices = await self.addServers(joined.map { TwemproxyServer(host: $0.host, port: $0.port) }) {
                self.cluster?.withLockedValue { state in
                    for (index, address) in zip(indices, joined) { state.nodeIndex[address] = index }
                }
                for address in joined {
                    self.logger.info("cluster node joined; the pool now serves it", metadata: ["node": "\(address)"])
                }
            }
            guard
                let (table, masterIndices, replicas) = self.cluster?.withLockedValue({ state in
                    state.topology = topology
                    state.refreshing = false
                    state.lastRefresh = .now
                    return (state.slotTable(), state.masters(), state.replicas())
                })
            else { return }
            self.updateLoops { $0.setCluster(slots: table, masters: masterIndices, replicas: replicas) }
        } catch {
            self.cluster?.withLockedValue { state in
                state.refreshing = false
                state.lastRefresh = .now
            }
            self.logger.warning("cluster refresh failed", metadata: ["reason": "\(error)"])
        }
    }

    /// Refreshes every `cluster_refresh_interval` until the pool stops.
    func runClusterRefresh() async {
        let interval = self.configuration.clusterRefreshInterval
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            guard self.beginClusterRefresh(minimumInterval: .zero) else { continue }
            await self.refreshCluster()
        }
    }
}
