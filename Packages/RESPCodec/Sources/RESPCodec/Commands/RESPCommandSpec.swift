import NIOCore

/// What Redis says about one command or subcommand: arity, flags, ACL categories, key positions and docs.
///
/// The specs of every Redis 7 command live in ``RESPCommandTable``, generated from a real server's
/// `COMMAND` and `COMMAND DOCS` by `Scripts/gen-command-table`. It is an immutable class so that handing one
/// out per request costs a single reference count, not one per field.
///
/// ```swift
/// let get = RESPCommandTable.lookup("get")!
/// assert(get.arity == 2 && get.flags.contains(.readonly))
/// let configGet = RESPCommandTable.lookup("CONFIG|GET")!
/// assert(configGet.name == "config|get")
/// ```
public final class RESPCommandSpec: Sendable, Hashable {
    /// The lowercase name; a subcommand is named `container|subcommand`, as Redis names it.
    public let name: String
    /// The number of arguments, counting the name: exactly `arity` when positive, at least `-arity` when
    /// negative. A subcommand counts both its container and its own name.
    public let arity: Int
    /// `COMMAND INFO` flags.
    public let flags: RESPCommandFlags
    /// ACL categories.
    public let aclCategories: RESPACLCategories
    /// First key, last key and step, as clients before Redis 7 read them.
    public let legacyKeyRange: RESPLegacyKeyRange
    /// Redis 7 key specifications, applied in order.
    public let keySpecs: [RESPKeySpec]
    /// Command tips, such as `nondeterministic_output` or `request_policy:all_shards`.
    public let tips: [String]
    /// The `request_policy` tip.
    public let requestPolicy: RESPRequestPolicy?
    /// The `response_policy` tip.
    public let responsePolicy: RESPResponsePolicy?
    /// The documentation group.
    public let group: RESPCommandGroup
    /// The Redis version that introduced the command.
    public let since: String
    /// A one-line description.
    public let summary: String
    /// The subcommands of a container command such as `CONFIG` or `CLIENT`, sorted by name.
    public let subcommands: [RESPCommandSpec]
    /// What a proxy needs to know before routing the command, derived once from the fields above.
    public let traits: RESPCommandTraits

    let keyFallback: RESPKeyFallback?
    let keyLayout: RESPFixedKeyLayout?
    private let subcommandIndex: RESPCommandNameIndex

    /// Creates a spec, for instance for a module command the generated table does not know.
    public convenience init(
        name: String,
        arity: Int,
        flags: RESPCommandFlags,
        aclCategories: RESPACLCategories,
        legacyKeyRange: RESPLegacyKeyRange,
        keySpecs: [RESPKeySpec],
        tips: [String] = [],
        group: RESPCommandGroup = .generic,
        since: String = "",
        summary: String = "",
        subcommands: [RESPCommandSpec] = []
    ) {
        self.init(
            name: name,
            arity: arity,
            flags: flags,
            aclCategories: aclCategories,
            legacyKeyRange: legacyKeyRange,
            keySpecs: keySpecs,
            keyFallback: nil,
            tips: tips,
            group: group,
            since: since,
            summary: summary,
            subcommands: subcommands
        )
    }

    init(
        name: String,
        arity: Int,
        flags: RESPCommandFlags,
        aclCategories: RESPACLCategories,
        legacyKeyRange: RESPLegacyKeyRange,
        keySpecs: [RESPKeySpec],
        keyFallback: RESPKeyFallback?,
        tips: [String],
        group: RESPCommandGroup,
        since: String,
        summary: String,
        subcommands: [RESPCommandSpec]
    ) {
        self.name = name
        self.arity = arity
        self.flags = flags
        self.aclCategories = aclCategories
        self.legacyKeyRange = legacyKeyRange
        self.keySpecs = keySpecs
        self.keyFallback = keyFallback
        self.tips = tips
        self.requestPolicy = Self.tip("request_policy:", in: tips).flatMap(RESPRequestPolicy.init(rawValue:))
        self.responsePolicy = Self.tip("response_policy:", in: tips).flatMap(RESPResponsePolicy.init(rawValue:))
        self.group = group
        self.since = since
        self.summary = summary
        self.subcommands = subcommands
        self.keyLayout = keyFallback == nil ? RESPFixedKeyLayout(keySpecs) : nil
        self.traits = RESPCommandTraits(
            name: name,
            flags: flags,
            aclCategories: aclCategories,
            keySpecs: keySpecs,
            hasKeyFallback: keyFallback != nil,
            requestPolicy: self.requestPolicy
        )
        var entries: [(key: RESPCommandNameKey, position: Int)] = []
        for (position, subcommand) in subcommands.enumerated() {
            let shortName = subcommand.name.utf8.split(separator: UInt8(ascii: "|")).last ?? []
            if let key = RESPCommandNameKey(shortName) { entries.append((key, position)) }
        }
        self.subcommandIndex = RESPCommandNameIndex(entries)
    }

    /// Specs are equal when every public field is.
    public static func == (lhs: RESPCommandSpec, rhs: RESPCommandSpec) -> Bool {
        lhs === rhs
            || (lhs.name == rhs.name && lhs.arity == rhs.arity && lhs.flags == rhs.flags
                && lhs.aclCategories == rhs.aclCategories && lhs.legacyKeyRange == rhs.legacyKeyRange
                && lhs.keySpecs == rhs.keySpecs && lhs.keyFallback == rhs.keyFallback && lhs.tips == rhs.tips
                && lhs.group == rhs.group && lhs.since == rhs.since && lhs.summary == rhs.summary
                && lhs.subcommands == rhs.subcommands)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.name)
        hasher.combine(self.arity)
        hasher.combine(self.keySpecs)
    }

    private static func tip(_ prefix: String, in tips: [String]) -> String? {
        tips.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// Whether Redis accepts a command of `argumentCount` arguments, counting the command name.
    ///
    /// ```swift
    /// assert(RESPCommandTable.lookup("GET")!.acceptsArgumentCount(2))
    /// ```
    public func acceptsArgumentCount(_ argumentCount: Int) -> Bool {
        self.arity >= 0 ? argumentCount == self.arity : argumentCount >= -self.arity
    }

    /// The subcommand named by `name` (compared case-insensitively), without allocating.
    ///
    /// ```swift
    /// let setName = RESPCommandTable.lookup("CLIENT")!.subcommand(ByteBuffer(string: "SETNAME"))
    /// ```
    public func subcommand(_ name: ByteBuffer) -> RESPCommandSpec? {
        guard !self.subcommands.isEmpty else { return nil }
        let key = name.withUnsafeReadableBytes { RESPCommandNameKey($0) }
        return key.flatMap { self.subcommandIndex[$0] }.map { self.subcommands[$0] }
    }

    /// The subcommand named by `name`, compared case-insensitively.
    public func subcommand(_ name: some StringProtocol) -> RESPCommandSpec? {
        RESPCommandNameKey(name.utf8).flatMap { self.subcommandIndex[$0] }.map { self.subcommands[$0] }
    }
}
