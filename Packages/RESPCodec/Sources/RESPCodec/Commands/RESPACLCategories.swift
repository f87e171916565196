/// The ACL categories (`@read`, `@write`, `@transaction`, ...) Redis puts a command in.
///
/// ```swift
/// let multi = RESPCommandTable.lookup("MULTI")!
/// assert(multi.aclCategories.contains(.transaction))
/// ```
public struct RESPACLCategories: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `@keyspace`
    public static let keyspace = RESPACLCategories(rawValue: 1 << 0)
    /// `@read`
    public static let read = RESPACLCategories(rawValue: 1 << 1)
    /// `@write`
    public static let write = RESPACLCategories(rawValue: 1 << 2)
    /// `@set`
    public static let set = RESPACLCategories(rawValue: 1 << 3)
    /// `@sortedset`
    public static let sortedSet = RESPACLCategories(rawValue: 1 << 4)
    /// `@list`
    public static let list = RESPACLCategories(rawValue: 1 << 5)
    /// `@hash`
    public static let hash = RESPACLCategories(rawValue: 1 << 6)
    /// `@string`
    public static let string = RESPACLCategories(rawValue: 1 << 7)
    /// `@bitmap`
    public static let bitmap = RESPACLCategories(rawValue: 1 << 8)
    /// `@hyperloglog`
    public static let hyperLogLog = RESPACLCategories(rawValue: 1 << 9)
    /// `@geo`
    public static let geo = RESPACLCategories(rawValue: 1 << 10)
    /// `@stream`
    public static let stream = RESPACLCategories(rawValue: 1 << 11)
    /// `@pubsub`
    public static let pubsub = RESPACLCategories(rawValue: 1 << 12)
    /// `@admin`
    public static let admin = RESPACLCategories(rawValue: 1 << 13)
    /// `@fast`
    public static let fast = RESPACLCategories(rawValue: 1 << 14)
    /// `@slow`
    public static let slow = RESPACLCategories(rawValue: 1 << 15)
    /// `@blocking`
    public static let blocking = RESPACLCategories(rawValue: 1 << 16)
    /// `@dangerous`
    public static let dangerous = RESPACLCategories(rawValue: 1 << 17)
    /// `@connection`
    public static let connection = RESPACLCategories(rawValue: 1 << 18)
    /// `@transaction`
    public static let transaction = RESPACLCategories(rawValue: 1 << 19)
    /// `@scripting`
    public static let scripting = RESPACLCategories(rawValue: 1 << 20)
}
