/// One Redis 7 key specification: where a run of keys begins and how far it extends.
///
/// `begin_search` finds the first key (a fixed index, or the argument after a keyword); `find_keys` then
/// walks a range or reads a key count. Key extraction applies every spec of a command in order, as Redis does.
///
/// ```swift
/// // ZUNIONSTORE destination numkeys key [key ...]
/// let specs = RESPCommandTable.lookup("ZUNIONSTORE")!.keySpecs
/// assert(specs[1].beginSearch == .index(2))
/// assert(specs[1].findKeys == .keyNumber(index: 0, firstKey: 1, step: 1))
/// ```
public struct RESPKeySpec: Sendable, Hashable {
    /// How the keys are accessed, and whether the spec is complete.
    public var flags: Flags
    /// Where the search for the first key starts.
    public var beginSearch: BeginSearch
    /// Which arguments, from the first key on, are keys.
    public var findKeys: FindKeys

    public init(flags: Flags, beginSearch: BeginSearch, findKeys: FindKeys) {
        self.flags = flags
        self.beginSearch = beginSearch
        self.findKeys = findKeys
    }
}
