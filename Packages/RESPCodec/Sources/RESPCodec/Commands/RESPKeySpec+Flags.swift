extension RESPKeySpec {
    /// How a command uses the keys a spec finds (`RO`, `RW`, `OW`, `RM`, `access`, ...), and whether the spec
    /// is complete.
    ///
    /// ```swift
    /// let del = RESPCommandTable.lookup("DEL")!
    /// assert(del.keySpecs[0].flags.contains([.remove, .delete]))
    /// ```
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16

        public init(rawValue: UInt16) {
            self.rawValue = rawValue
        }

        /// `RO`: reads the key.
        public static let readOnly = Flags(rawValue: 1 << 0)
        /// `RW`: reads and writes the key.
        public static let readWrite = Flags(rawValue: 1 << 1)
        /// `OW`: overwrites the key without reading it.
        public static let overwrite = Flags(rawValue: 1 << 2)
        /// `RM`: removes the key.
        public static let remove = Flags(rawValue: 1 << 3)
        /// `access`: returns or exposes the value.
        public static let access = Flags(rawValue: 1 << 4)
        /// `update`: updates the value.
        public static let update = Flags(rawValue: 1 << 5)
        /// `insert`: adds data to the value.
        public static let insert = Flags(rawValue: 1 << 6)
        /// `delete`: deletes data from the value.
        public static let delete = Flags(rawValue: 1 << 7)
        /// `not_key`: the argument is not a key but hashes like one (a shard channel).
        public static let notKey = Flags(rawValue: 1 << 8)
        /// `incomplete`: the spec may miss keys.
        public static let incomplete = Flags(rawValue: 1 << 9)
        /// `variable_flags`: the access flags depend on the arguments.
        public static let variableFlags = Flags(rawValue: 1 << 10)
    }
}
