/// Where key extraction puts the indices it finds, so one algorithm serves both the array and the
/// first-key-only callers without allocating for the latter.
protocol RESPKeyIndexSink {
    mutating func append(_ index: Int)
    /// Forgets what was appended: Redis drops every key found so far when a later spec turns out invalid.
    mutating func removeAll()
}
