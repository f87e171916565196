/// `read_from`: where a cluster pool sends read-only commands (GET, MGET, EXISTS, ...). Replicas lag their master,
/// so reads from them may miss the latest writes.
///
/// ```yaml
/// read_from: prefer_replica
/// ```
public enum ClusterReadPolicy: String, Sendable, Hashable, CaseIterable {
    /// Every command goes to the slot's master (the default: reads see every acknowledged write).
    case master
    /// Reads go to a replica of the slot's master, or to the master when it has no replica.
    case preferReplica = "prefer_replica"
    /// Reads go only to replicas; a slot whose master has none gets an error.
    case replica
}
