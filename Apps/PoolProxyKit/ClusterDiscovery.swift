import NIOCore
import RESPCodec
import SocketIO

/// Reads a Redis Cluster's layout from the first node that answers: `CLUSTER SHARDS`, or `CLUSTER SLOTS` on
/// servers older than 7.0.
///
/// ```swift
/// let topology = try await ClusterDiscovery.discover(from: seeds, configuration: connection, eventLoopGroup: group)
/// ```
enum ClusterDiscovery {
    struct DiscoveryError: Error, CustomStringConvertible {
        let description: String
    }

    static func discover(
        from nodes: [ClusterTopology.Address],
        configuration: RESPConnectionConfiguration,
        eventLoopGroup: any EventLoopGroup
    ) async throws -> ClusterTopology {
        var problems: [String] = []
        for node in nodes {
            do {
                let connection = try await RESPConnection.connect(
                    to: .tcp(host: node.host, port: node.port),
                    configuration: configuration,
                    eventLoopGroup: eventLoopGroup
                )
                defer { Task { await connection.close() } }
                var topology: ClusterTopology
                switch try await connection.send("CLUSTER", "SHARDS") {
                case .simpleError, .bulkError:
                    topology = try ClusterTopology(slots: try await connection.send("CLUSTER", "SLOTS"))
                case let reply:
                    topology = try ClusterTopology(shards: reply)
                }
                guard topology.coveredSlots > 0 else {
                    problems.append("\(node): serves no slots (is it a cluster node, and is the cluster created?)")
                    continue
                }
                // A node may advertise no address for itself; it is the one we reached.
                for index in topology.shards.indices where topology.shards[index].master.host.isEmpty {
                    topology.shards[index].master.host = node.host
                }
                return topology
            } catch {
                problems.append("\(node): \(error)")
            }
        }
        throw DiscoveryError(description: "no cluster node answered: " + problems.joined(separator: "; "))
    }
}
