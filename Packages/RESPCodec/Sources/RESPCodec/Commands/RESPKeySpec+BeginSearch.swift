extension RESPKeySpec {
    /// The `begin_search` half of a key spec.
    ///
    /// ```swift
    /// // XREAD ... STREAMS key [key ...] id [id ...]
    /// let xread = RESPCommandTable.lookup("XREAD")!
    /// assert(xread.keySpecs[0].beginSearch == .keyword("STREAMS", startFrom: 1))
    /// ```
    public enum BeginSearch: Sendable, Hashable {
        /// The first key is the argument at this index (the command name is index 0).
        case index(Int)
        /// The first key follows `keyword` (matched case-insensitively), searched from `startFrom` towards the
        /// end, or, when `startFrom` is negative, from that many arguments before the end towards the start.
        case keyword(String, startFrom: Int)
        /// Redis cannot describe where the keys are.
        case unknown
    }
}
