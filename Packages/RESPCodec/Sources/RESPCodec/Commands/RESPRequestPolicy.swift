/// Redis's `request_policy` command tip: how a cluster client should spread the command over shards.
///
/// ```swift
/// assert(RESPCommandTable.lookup("MGET")?.requestPolicy == .multiShard)
/// assert(RESPCommandTable.lookup("DBSIZE")?.requestPolicy == .allShards)
/// ```
public enum RESPRequestPolicy: String, Sendable, Hashable, CaseIterable {
    /// Send to every node, primaries and replicas.
    case allNodes = "all_nodes"
    /// Send to every primary.
    case allShards = "all_shards"
    /// Split the keys by shard and send each shard its part (MGET, MSET, DEL, ...).
    case multiShard = "multi_shard"
    /// Needs command-specific handling.
    case special
}
