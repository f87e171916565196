extension RESPValue {
    /// One key–value pair of a RESP3 map or attribute.
    ///
    /// ```swift
    /// let map: RESPValue = .map([RESPValue.MapEntry(key: .simpleString("server"), value: .bulkString("redis"))])
    /// ```
    public struct MapEntry: Hashable, Sendable {
        /// The key.
        public var key: RESPValue
        /// The value.
        public var value: RESPValue

        /// Creates a pair.
        public init(key: RESPValue, value: RESPValue) {
            self.key = key
            self.value = value
        }
    }
}
