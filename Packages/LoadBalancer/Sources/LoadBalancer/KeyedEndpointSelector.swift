/// A strategy that picks an endpoint from a key's bytes: ketama, modula or maglev.
///
/// Conformers implement ``index(forKeyBytes:)``; ``index(forKey:)`` then accepts any byte collection, without
/// copying when its storage is contiguous.
///
/// ```swift
/// func route(_ key: [UInt8], with selector: some KeyedEndpointSelector) -> Int? {
///     selector.index(forKey: key)
/// }
/// ```
public protocol KeyedEndpointSelector {
    /// The index of the endpoint for raw key bytes, or `nil` when every endpoint is ejected.
    func index(forKeyBytes key: UnsafeRawBufferPointer) -> Int?
}

extension KeyedEndpointSelector {
    /// The index of the endpoint for `key`, or `nil` when every endpoint is ejected.
    @inlinable
    public func index<Bytes: Collection<UInt8>>(forKey key: Bytes) -> Int? {
        if let index = key.withContiguousStorageIfAvailable({ self.index(forKeyBytes: UnsafeRawBufferPointer($0)) }) {
            return index
        }
        return Array(key).withUnsafeBytes { self.index(forKeyBytes: $0) }
    }
}
