import LoadBalancer

extension RedisCluster {
    /// The node listening on `port`.
    func node(port: Int) throws -> Node {
        guard let node = self.nodes.first(where: { $0.port == port }) else {
            throw ClusterError(description: "no cluster node on port \(port)")
        }
        return node
    }

    /// One slot the master on `port` serves.
    func ownedSlot(of masterPort: Int) throws -> Int {
        guard let slot = try self.slots(of: masterPort).first else {
            throw ClusterError(description: "the master on port \(masterPort) serves no slot")
        }
        return slot
    }

    /// A key that hashes to `slot`, found by trying `slot-key:N` names.
    func key(inSlot slot: Int) throws -> String {
        for index in 0..<1_000_000 {
            let key = "slot-key:\(index)"
            if Int(HashSlot(key: Array(key.utf8)).rawValue) == slot { return key }
        }
        throw ClusterError(description: "no key found for slot \(slot)")
    }
}
