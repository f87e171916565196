/// What a proxy needs to know about a command before routing it, derived from the table's data.
///
/// Most traits come from Redis's own metadata: `blocking` from the `blocking` flag, `transaction` from the
/// `@transaction` ACL category, `subscription` from `pubsub` plus `noscript`, the shard traits from the
/// `request_policy` tip, `keyless` from the key specs. Which commands change per-connection state is not in
/// Redis's metadata, so ``sessionState`` and ``monitor`` come from a short list of names.
///
/// ```swift
/// let mget = RESPCommandTable.lookup("MGET")!
/// assert(mget.traits.contains(.multiShard))
/// assert(RESPCommandTable.lookup("SELECT")!.traits.contains(.sessionState))
/// ```
public struct RESPCommandTraits: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// No key arguments: the command cannot be routed by key.
    public static let keyless = RESPCommandTraits(rawValue: 1 << 0)
    /// Its keys may be split across backends and the replies merged (DEL, EXISTS, MGET, MSET, MSETNX, TOUCH,
    /// UNLINK): Redis's `request_policy:multi_shard`. MSETNX loses its atomicity when split.
    public static let multiShard = RESPCommandTraits(rawValue: 1 << 1)
    /// Meant for every backend (DBSIZE, FLUSHALL, KEYS, SCRIPT LOAD, ...): `request_policy:all_shards` or
    /// `all_nodes`.
    public static let allShards = RESPCommandTraits(rawValue: 1 << 2)
    /// May block the connection (BLPOP, BLMOVE, XREAD, ...).
    public static let blocking = RESPCommandTraits(rawValue: 1 << 3)
    /// MULTI, EXEC, DISCARD, WATCH, UNWATCH.
    public static let transaction = RESPCommandTraits(rawValue: 1 << 4)
    /// Enters or leaves subscriber mode (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs).
    public static let subscription = RESPCommandTraits(rawValue: 1 << 5)
    /// Changes per-connection state that must not leak to another client: SELECT, AUTH, HELLO, RESET,
    /// READONLY, READWRITE, ASKING, CLIENT SETNAME, CLIENT TRACKING, CLIENT REPLY, CLIENT CACHING,
    /// CLIENT NO-EVICT.
    public static let sessionState = RESPCommandTraits(rawValue: 1 << 6)
    /// MONITOR: the connection becomes a stream of every command the server runs.
    public static let monitor = RESPCommandTraits(rawValue: 1 << 7)

    /// Commands whose connection state Redis's metadata does not reveal.
    static let sessionStateNames: Set<String> = [
        "select", "auth", "hello", "reset", "readonly", "readwrite", "asking", "client|setname",
        "client|tracking", "client|reply", "client|caching", "client|no-evict",
    ]

    init(
        name: String,
        flags: RESPCommandFlags,
        aclCategories: RESPACLCategories,
        keySpecs: [RESPKeySpec],
        hasKeyFallback: Bool,
        requestPolicy: RESPRequestPolicy?
    ) {
        var traits: RESPCommandTraits = []
        if keySpecs.allSatisfy({ $0.flags.contains(.notKey) }) && !hasKeyFallback {
            traits.insert(.keyless)
        }
        switch requestPolicy {
        case .multiShard?: traits.insert(.multiShard)
        case .allShards?, .allNodes?: traits.insert(.allShards)
        case .special?, nil: break
        }
        if flags.contains(.blocking) { traits.insert(.blocking) }
        if aclCategories.contains(.transaction) { traits.insert(.transaction) }
        if flags.contains([.pubsub, .noScript]) { traits.insert(.subscription) }
        if Self.sessionStateNames.contains(name) { traits.insert(.sessionState) }
        if name == "monitor" { traits.insert(.monitor) }
        self = traits
    }
}
