/// A cache key with an optional namespace, rendered as `namespace:key`.
///
/// ```swift
/// let key = CacheKey("user:42", namespace: "profiles")
/// assert(key.rendered == "profiles:user:42")
/// ```
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    /// The key inside its namespace.
    public let key: String
    /// The namespace prefix, if any.
    public let namespace: String?

    /// Creates a key, optionally inside a namespace.
    public init(_ key: String, namespace: String? = nil) {
        self.key = key
        self.namespace = namespace
    }

    /// The key as stored in Redis.
    public var rendered: String {
        guard let namespace, !namespace.isEmpty else { return self.key }
        return "\(namespace):\(self.key)"
    }

    public var description: String { self.rendered }
}
