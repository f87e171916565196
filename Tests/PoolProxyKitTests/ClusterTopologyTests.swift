import NIOCore
import RESPCodec
import Testing

@testable import PoolProxyKit

@Suite struct ClusterTopologyTests {
    private static func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }

    private static func node(port: Int, role: String, health: String = "online") -> RESPValue {
        .array([
            bulk("id"), bulk("id-\(port)"), bulk("port"), .integer(Int64(port)), bulk("ip"), bulk("127.0.0.1"),
            bulk("endpoint"), bulk("127.0.0.1"), bulk("role"), bulk(role), bulk("replication-offset"), .integer(1),
            bulk("health"), bulk(health),
        ])
    }

    private static func shard(slots: [Int], nodes: [RESPValue]) -> RESPValue {
        .array([bulk("slots"), .array(slots.map { .integer(Int64($0)) }), bulk("nodes"), .array(nodes)])
    }

    @Test func parsesClusterShardsAndMapsEverySlot() throws {
        let reply = RESPValue.array([
            Self.shard(
                slots: [0, 5460],
                nodes: [Self.node(port: 7000, role: "master"), Self.node(port: 7003, role: "replica")]
            ),
            Self.shard(slots: [5461, 10922], nodes: [Self.node(port: 7001, role: "master")]),
            Self.shard(slots: [10923, 12000, 12001, 16383], nodes: [Self.node(port: 7002, role: "master")]),
        ])
        let topology = try ClusterTopology(shards: reply)
        #expect(topology.shards.count == 3)
        #expect(topology.coveredSlots == 16_384)
        #expect(topology.shards[0].replicas == [ClusterTopology.Address(host: "127.0.0.1", port: 7003)])
        let owners = topology.slotOwners()
        #expect(owners[0]?.port == 7000 && owners[5460]?.port == 7000)
        #expect(owners[5461]?.port == 7001 && owners[16383]?.port == 7002)
        let nodes = ServerPoolRuntime.clusterNodes(topology).map(\.port)
        #expect(nodes == [7000, 7001, 7002, 7003], "masters first, then replicas")
    }

    @Test func aFailedMasterServesNothing() throws {
        let reply = RESPValue.array([
            Self.shard(
                slots: [0, 16383],
                nodes: [Self.node(port: 7000, role: "master", health: "fail"), Self.node(port: 7003, role: "replica")]
            )
        ])
        let topology = try ClusterTopology(shards: reply)
        #expect(topology.shards.isEmpty)
        #expect(topology.slotOwners().allSatisfy { $0 == nil })
    }

    @Test func parsesClusterSlots() throws {
        func address(_ port: Int) -> RESPValue {
            .array([Self.bulk("127.0.0.1"), .integer(Int64(port)), Self.bulk("id")])
        }
        let reply = RESPValue.array([
            .array([.integer(0), .integer(8191), address(7000), address(7003)]),
            .array([.integer(8192), .integer(16383), address(7001)]),
            .array([.integer(100), .integer(100), address(7001)]),
        ])
        let topology = try ClusterTopology(slots: reply)
        #expect(topology.shards.count == 2)
        #expect(topology.shards[1].slots == [8192...16383, 100...100])
        #expect(topology.slotOwners()[100]?.port == 7001, "the later range wins, as the reply lists it")
    }

    @Test func rejectsMalformedReplies() {
        #expect(throws: ClusterTopology.ParseError.self) { try ClusterTopology(shards: .integer(1)) }
        #expect(throws: ClusterTopology.ParseError.self) {
            try ClusterTopology(slots: .array([.array([.integer(5), .integer(1)])]))
        }
    }
}
