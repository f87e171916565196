import LoadBalancer
import RedisTestSupport
import Testing

/// The RedisCluster launcher against real `redis-server` cluster nodes: topology, slots, resharding, failover.
@Suite(.blockingAllowed, .serialized) struct ClusterLauncherIntegrationTests {
    @Test func startsMastersWithReplicasAndServesKeys() throws {
        let cluster = try RedisCluster.start(masters: 3, replicasPerMaster: 1)
        defer { cluster.stop() }

        #expect(cluster.nodes.count == 6)
        #expect(cluster.nodes.allSatisfy { $0.isRunning })
        let masters = try cluster.masters()
        #expect(masters.count == 3)
        var replicaPorts: [Int] = []
        for master in masters {
            let replicas = try cluster.replicas(of: master)
            #expect(replicas.count == 1, "master \(master) has replicas \(replicas)")
            replicaPorts += replicas
        }
        #expect(Set(masters + replicaPorts) == Set(cluster.nodes.map(\.port)))
        let served = try masters.map { try cluster.slots(of: $0).count }
        #expect(served.reduce(0, +) == HashSlot.count)

        #expect(try cluster.nodes[0].cli(["-c", "SET", "greeting", "hello"]) == "OK\n")
        for node in cluster.nodes {
            #expect(try node.cli(["-c", "GET", "greeting"]) == "hello\n", "GET through \(node.port)")
        }

        for key in ["greeting", "user:1000", "{user1000}.following", "{user1000}.followers", "a{}b", "{}{x}", "ü"] {
            let expected = Int(HashSlot(key: Array(key.utf8)).rawValue)
            #expect(try cluster.keySlot(key) == expected, "slot of \(key)")
        }
        #expect(try masters.contains(cluster.owner(ofSlot: cluster.keySlot("greeting"))))
    }

    @Test func reshardMovesSlotsBetweenMasters() throws {
        let cluster = try RedisCluster.start(masters: 3, replicasPerMaster: 1)
        defer { cluster.stop() }
        let masters = try cluster.masters()
        let (source, target) = (masters[0], masters[1])
        let sourceBefore = Set(try cluster.slots(of: source))
        let targetBefore = Set(try cluster.slots(of: target))

        try cluster.reshard(slots: 100, from: source, to: target)

        let sourceAfter = Set(try cluster.slots(of: source))
        let targetAfter = Set(try cluster.slots(of: target))
        let moved = sourceBefore.subtracting(sourceAfter)
        #expect(moved.count == 100)
        #expect(targetAfter == targetBefore.union(moved))
        for slot in moved.sorted().prefix(5) {
            #expect(try cluster.owner(ofSlot: slot) == target)
        }
        #expect(try cluster.replicas(of: source).count == 1)
    }

    @Test func killedMasterFailsOverToItsReplicaAndRejoinsAsReplica() throws {
        let cluster = try RedisCluster.start(masters: 3, replicasPerMaster: 1)
        defer { cluster.stop() }
        let victim = try cluster.masters()[0]
        let replica = try #require(try cluster.replicas(of: victim).first)
        let victimSlots = Set(try cluster.slots(of: victim))
        let key = try #require(
            (0..<10_000).lazy.map { "key:\($0)" }.first {
                victimSlots.contains(Int(HashSlot(key: Array($0.utf8)).rawValue))
            }
        )
        let victimNode = try #require(cluster.nodes.first { $0.port == victim })
        #expect(try victimNode.cli(["SET", key, "kept"]) == "OK\n")
        #expect(try victimNode.cli(["WAIT", "1", "5000"]) == "1\n")

        cluster.kill(port: victim)
        #expect(!victimNode.isRunning)
        let promoted = try cluster.waitForFailover(of: victim, timeout: .seconds(15))

        #expect(promoted == replica)
        let masters = try cluster.masters()
        #expect(masters.contains(promoted))
        #expect(!masters.contains(victim))
        #expect(masters.count == 3)
        for node in cluster.nodes where node.isRunning {
            #expect(try node.cli(["CLUSTER", "INFO"]).contains("cluster_state:ok"), "CLUSTER INFO of \(node.port)")
        }
        let liveNode = try #require(cluster.nodes.first { $0.isRunning })
        #expect(try liveNode.cli(["-c", "GET", key]) == "kept\n")

        try cluster.restart(port: victim)
        #expect(victimNode.isRunning)
        #expect(try cluster.replicas(of: promoted) == [victim])
        #expect(try cluster.masters() == masters)
    }
}
