/// The documentation group of a command, from `COMMAND DOCS`.
///
/// ```swift
/// assert(RESPCommandTable.lookup("ZADD")?.group == .sortedSet)
/// ```
public enum RESPCommandGroup: String, Sendable, Hashable, CaseIterable {
    case generic
    case string
    case list
    case set
    case sortedSet = "sorted-set"
    case hash
    case pubsub
    case transactions
    case connection
    case server
    case scripting
    case hyperLogLog = "hyperloglog"
    case cluster
    case sentinel
    case geo
    case stream
    case bitmap
    case module
}
