/// Keeps only the first key index.
struct RESPKeyIndexFirstSink: RESPKeyIndexSink {
    var first: Int? = nil

    mutating func append(_ index: Int) {
        if self.first == nil { self.first = index }
    }

    mutating func removeAll() {
        self.first = nil
    }
}
