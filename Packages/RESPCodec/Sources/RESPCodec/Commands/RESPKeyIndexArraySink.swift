/// Collects every key index into a reused array.
struct RESPKeyIndexArraySink: RESPKeyIndexSink {
    var indices: [Int]

    mutating func append(_ index: Int) {
        self.indices.append(index)
    }

    mutating func removeAll() {
        self.indices.removeAll(keepingCapacity: true)
    }
}
