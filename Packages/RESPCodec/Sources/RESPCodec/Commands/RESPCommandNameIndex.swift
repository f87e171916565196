/// A fixed open-addressing table from command names to positions, built once.
///
/// Lookups take a multiplicative hash of the packed name and probe linearly, skipping `Hasher`, which costs
/// more than the rest of a lookup put together.
struct RESPCommandNameIndex: Sendable {
    private let keys: [RESPCommandNameKey?]
    private let positions: [Int]
    private let shift: UInt64
    private let mask: Int

    init(_ entries: [(key: RESPCommandNameKey, position: Int)]) {
        var capacity = 4
        while capacity < entries.count * 2 { capacity <<= 1 }
        var keys = [RESPCommandNameKey?](repeating: nil, count: capacity)
        var positions = [Int](repeating: -1, count: capacity)
        let shift = UInt64(64 - capacity.trailingZeroBitCount)
        for entry in entries {
            var slot = Int(truncatingIfNeeded: entry.key.mixedHash >> shift)
            while let occupant = keys[slot], occupant != entry.key {
                slot = (slot + 1) & (capacity - 1)
            }
            keys[slot] = entry.key
            positions[slot] = entry.position
        }
        self.keys = keys
        self.positions = positions
        self.shift = shift
        self.mask = capacity - 1
    }

    subscript(key: RESPCommandNameKey) -> Int? {
        var slot = Int(truncatingIfNeeded: key.mixedHash >> self.shift)
        while let occupant = self.keys[slot] {
            if occupant == key { return self.positions[slot] }
            slot = (slot + 1) & self.mask
        }
        return nil
    }
}
