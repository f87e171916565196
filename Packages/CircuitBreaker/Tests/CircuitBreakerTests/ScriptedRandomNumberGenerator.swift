/// Returns the given raw values in turn, repeating the last one, so jitter can be pinned to its extremes.
struct ScriptedRandomNumberGenerator: RandomNumberGenerator, Sendable {
    static let lowest = ScriptedRandomNumberGenerator(values: [0])
    static let highest = ScriptedRandomNumberGenerator(values: [.max])
    static let middle = ScriptedRandomNumberGenerator(values: [1 << 63])

    private var values: [UInt64]
    private var index = 0

    init(values: [UInt64]) {
        precondition(!values.isEmpty)
        self.values = values
    }

    mutating func next() -> UInt64 {
        defer { self.index = min(self.index + 1, self.values.count - 1) }
        return self.values[self.index]
    }
}
