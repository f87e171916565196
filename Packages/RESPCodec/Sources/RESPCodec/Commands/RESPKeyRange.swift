/// Key positions that form one arithmetic progression, such as `1, 3, 5` for `MSET k1 v1 k2 v2 k3 v3`.
///
/// It is what ``RESPCommandSpec/keyRange(argumentCount:)`` returns for the common commands whose keys depend
/// only on the number of arguments, so finding them allocates nothing.
///
/// ```swift
/// let keys = RESPCommandTable.lookup("MSET")!.keyRange(argumentCount: 7)!
/// assert(Array(keys) == [1, 3, 5])
/// ```
public struct RESPKeyRange: RandomAccessCollection, Sendable, Hashable {
    /// The first key's argument index.
    public let lowerBound: Int
    /// The last key's argument index; below `lowerBound` when empty.
    public let upperBound: Int
    /// The distance between keys, at least 1.
    public let step: Int

    /// No keys.
    public static let empty = RESPKeyRange(lowerBound: 0, upperBound: -1, step: 1)

    /// Creates the positions `lowerBound, lowerBound + step, ...` up to and including `upperBound`.
    public init(lowerBound: Int, upperBound: Int, step: Int) {
        precondition(step > 0, "a key range needs a positive step")
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.step = step
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        self.upperBound < self.lowerBound ? 0 : (self.upperBound - self.lowerBound) / self.step + 1
    }

    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < self.endIndex, "key range index out of bounds")
        return self.lowerBound + position * self.step
    }
}
