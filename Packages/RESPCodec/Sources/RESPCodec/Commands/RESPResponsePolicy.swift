/// Redis's `response_policy` command tip: how a cluster client should merge the replies of several shards.
///
/// ```swift
/// assert(RESPCommandTable.lookup("DEL")?.responsePolicy == .aggregateSum)
/// ```
public enum RESPResponsePolicy: String, Sendable, Hashable, CaseIterable {
    /// The first successful reply wins.
    case oneSucceeded = "one_succeeded"
    /// Succeeds only if every shard succeeds; replies are the same.
    case allSucceeded = "all_succeeded"
    /// Logical AND of integer replies.
    case aggregateLogicalAnd = "agg_logical_and"
    /// Logical OR of integer replies.
    case aggregateLogicalOr = "agg_logical_or"
    /// The minimum of integer replies.
    case aggregateMin = "agg_min"
    /// The maximum of integer replies.
    case aggregateMax = "agg_max"
    /// The sum of integer replies.
    case aggregateSum = "agg_sum"
    /// Needs command-specific handling.
    case special
}
