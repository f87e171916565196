extension RESPKeySpec {
    /// The `find_keys` half of a key spec, relative to the first key that ``BeginSearch`` found.
    ///
    /// ```swift
    /// // EVAL script numkeys key [key ...] arg [arg ...]
    /// let eval = RESPCommandTable.lookup("EVAL")!
    /// assert(eval.keySpecs[0].findKeys == .keyNumber(index: 0, firstKey: 1, step: 1))
    /// ```
    public enum FindKeys: Sendable, Hashable {
        /// Keys run from the first key to `lastKey` arguments after it, every `step` arguments. A negative
        /// `lastKey` counts from the end of the command; with a nonzero `limit`, only `1/limit` of the remaining
        /// arguments are keys (XREAD's `STREAMS k1 k2 id1 id2`).
        case range(lastKey: Int, step: Int, limit: Int)
        /// The argument `index` places after the first key holds the key count; keys start `firstKey` places
        /// after the first key, every `step` arguments.
        case keyNumber(index: Int, firstKey: Int, step: Int)
        /// Redis cannot describe which arguments are keys.
        case unknown
    }
}
