extension RESPParser {
    /// Bounds on what one frame may declare, so hostile input cannot make the parser wait for, or a consumer
    /// allocate, more than intended. The defaults are Redis's own.
    ///
    /// ```swift
    /// var limits = RESPParser.Limits()
    /// limits.maximumBulkLength = 1024 * 1024  // 1 MB values at most
    /// let parser = RESPParser(mode: .request, limits: limits)
    /// ```
    public struct Limits: Sendable, Hashable {
        /// The longest bulk string, bulk error or verbatim string: 512 MB, as Redis's `proto-max-bulk-len`.
        public var maximumBulkLength: Int = 512 * 1024 * 1024
        /// The most elements an aggregate may declare: `INT_MAX`, as Redis accepts in a multibulk header.
        public var maximumAggregateCount: Int = Int(Int32.max)
        /// How deeply aggregates may nest. Redis's replies nest a few levels; 64 leaves ample room.
        public var maximumNestingDepth: Int = 64
        /// The longest inline command or header line: 64 KB, as Redis's `PROTO_INLINE_MAX_SIZE`.
        public var maximumInlineLength: Int = 64 * 1024

        /// Creates Redis's default limits.
        public init() {}
    }
}
