/// The pre-Redis 7 key positions of a command: first key, last key and step, as `COMMAND INFO` reports them.
///
/// A negative `lastKey` counts from the end (`-1` is the last argument). Commands whose keys move with the
/// arguments, such as `EVAL`, report zeros here; ``RESPCommandSpec/keySpecs`` describes them.
///
/// ```swift
/// let mset = RESPCommandTable.lookup("MSET")!
/// assert(mset.legacyKeyRange == RESPLegacyKeyRange(firstKey: 1, lastKey: -1, step: 2))
/// ```
public struct RESPLegacyKeyRange: Sendable, Hashable {
    /// The index of the first key, or 0 when the command has no fixed keys.
    public var firstKey: Int
    /// The index of the last key; negative counts from the end.
    public var lastKey: Int
    /// The distance between keys.
    public var step: Int

    public init(firstKey: Int, lastKey: Int, step: Int) {
        self.firstKey = firstKey
        self.lastKey = lastKey
        self.step = step
    }
}
