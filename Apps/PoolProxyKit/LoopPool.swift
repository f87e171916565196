import LoadBalancer
import NIOCore
import PoolProxyConfig

/// One pool as seen from one event loop: its servers' connections, its copy of the key distribution and its
/// counters. Clients accepted on a loop only use that loop's `LoopPool`, so the request path never locks or
/// hops threads.
final class LoopPool {
    let runtime: ServerPoolRuntime
    let eventLoop: any EventLoop
    let flusher: LoopFlusher
    let tally = PoolTally()
    private(set) var servers: [BackendServer] = []
    private var isStopped = false
    private var router: TwemproxyRouter
    private var ejected: Set<Int> = []
    /// A cluster pool's slot table: the server index of each slot's master, ``noServer`` where unknown.
    private(set) var clusterSlots: [UInt16]?
    /// A cluster pool's masters, for commands that fan out; every server otherwise.
    private(set) var fanOutServers: [Int] = []
    /// A cluster pool's replicas of each master, by server index, for `read_from`.
    private(set) var replicasOfMaster: [Int: [Int]] = [:]
    private var nextReplica = 0
    /// Clients that may park (`client_park_after`), each knowing its index here.
    private var parkable: [ClientSession] = []
    /// Holds this pool until ``stop()`` cancels it.
    private var parkingSweep: RepeatedTask?

    static let noServer = UInt16.max

    init(runtime: ServerPoolRuntime, eventLoop: any EventLoop) {
        self.runtime = runtime
        self.eventLoop = eventLoop
        self.flusher = LoopFlusher(eventLoop: eventLoop)
        let configuration = runtime.configuration
        self.router = TwemproxyRouter(
            servers: configuration.servers,
            hash: configuration.hash,
            distribution: configuration.distribution,
            hashTag: configuration.hashTag
        )
        self.clusterSlots = runtime.clusterSlotTable
        self.fanOutServers = runtime.isCluster ? runtime.clusterMasters : Array(configuration.servers.indices)
        self.replicasOfMaster = runtime.clusterReplicas
    }

    var isCluster: Bool { self.clusterSlots != nil }

    // MARK: - Parking

    func trackParkable(_ session: ClientSession) {
        session.parkingIndex = self.parkable.count
        self.parkable.append(session)
        if self.parkingSweep == nil, let parkAfter = self.runtime.configuration.clientParkAfter, !self.isStopped {
            // A quarter of the delay between sweeps: a client parks between 1 and 1.25 delays after its last request.
            let interval = TimeAmount.nanoseconds(max(parkAfter.nanoseconds / 4, 10_000_000))
            let idleFor = UInt64(max(0, parkAfter.nanoseconds))
            let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
            self.parkingSweep = self.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                bound.value.parkIdleClients(idleFor: idleFor)
            }
        }
    }

    func untrackParkable(_ session: ClientSession) {
        let index = session.parkingIndex
        guard index >= 0, index < self.parkable.count, self.parkable[index] === session else { return }
        let last = self.parkable.removeLast()
        if index < self.parkable.count {
            self.parkable[index] = last
            last.parkingIndex = index
        }
        session.parkingIndex = -1
    }

    private func parkIdleClients(idleFor: UInt64) {
        let now = NIODeadline.now().uptimeNanoseconds
        // Backwards: a session that parks leaves its place to the last one, which has been looked at already.
        var index = self.parkable.count - 1
        while index >= 0 {
            if index < self.parkable.count { _ = self.parkable[index].parkIfIdle(now: now, idleFor: idleFor) }
            index -= 1
        }
        // Every client parked: give the list's storage back too.
        if self.parkable.isEmpty { self.parkable = [] }
    }

    /// A cluster's new layout, from a refresh.
    func setCluster(slots: [UInt16], masters: [Int], replicas: [Int: [Int]]) {
        self.clusterSlots = slots
        self.fanOutServers = masters
        self.replicasOfMaster = replicas
    }

    /// Where a read-only command for `master`'s slots goes under `read_from`: one of its replicas in turn, or the
    /// master itself (`master`, or `prefer_replica` without a live replica); nil for `replica` without one.
    func readServer(forMaster master: Int, policy: ClusterReadPolicy) -> Int? {
        guard policy != .master else { return master }
        let replicas = (self.replicasOfMaster[master] ?? []).filter { !self.ejected.contains($0) }
        guard !replicas.isEmpty else { return policy == .preferReplica ? master : nil }
        self.nextReplica &+= 1
        return replicas[self.nextReplica % replicas.count]
    }

    /// A `MOVED` redirect: the slot now lives on `server`.
    func moveSlot(_ slot: Int, to server: Int) {
        guard self.clusterSlots != nil, slot >= 0, slot < ClusterTopology.slotCount else { return }
        self.clusterSlots![slot] = UInt16(server)
    }

    /// The hash slot of `key`, as Redis Cluster computes it (CRC16, `{}` hash tags).
    static func slot(forKey key: ByteBuffer) -> Int {
        key.withUnsafeReadableBytes { Int(HashSlot(keyBytes: $0).rawValue) }
    }

    var isSharded: Bool { self.servers.count > 1 }

    /// The server for `key`, as twemproxy picks it (or the master of its slot, in a cluster); nil when every
    /// server is ejected (or nobody serves the slot).
    func serverIndex(forKey key: ByteBuffer) -> Int? {
        if self.clusterSlots != nil { return self.server(forSlot: Self.slot(forKey: key)) }
        return key.withUnsafeReadableBytes { self.router.index(forKey: $0) }
    }

    /// A cluster pool's master for `slot`; nil when the slot is not served, or in a pool that is not a cluster.
    func server(forSlot slot: Int) -> Int? {
        guard let clusterSlots, slot >= 0, slot < clusterSlots.count else { return nil }
        let server = clusterSlots[slot]
        return server == Self.noServer ? nil : Int(server)
    }

    /// A live server, for RANDOMKEY.
    func randomServer() -> Int {
        let live = self.fanOutServers.filter { !self.ejected.contains($0) }
        return live.randomElement() ?? 0
    }

    /// Takes servers out of the distribution, or puts them back (`auto_eject_hosts`).
    func setEjected(_ servers: Set<Int>) {
        guard servers != self.ejected else { return }
        // A cluster routes by its slot table; the ring holds only the servers configured at start.
        if !self.isCluster {
            for index in self.servers.indices where servers.contains(index) != self.ejected.contains(index) {
                self.router.setEjected(servers.contains(index), at: index)
            }
        }
        self.ejected = servers
    }

    /// The next server, at index `servers.count`; a pool that stopped stops it at once.
    func add(_ server: BackendServer) {
        self.servers.append(server)
        if self.isStopped { server.stop() }
    }

    func stop() {
        self.isStopped = true
        self.parkingSweep?.cancel()
        self.parkingSweep = nil
        for server in self.servers { server.stop() }
    }
}
