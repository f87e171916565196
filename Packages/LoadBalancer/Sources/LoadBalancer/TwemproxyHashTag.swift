/// twemproxy's `hash_tag`: two characters that mark the part of a key to hash, such as `"{}"`.
///
/// The hashed part runs from just after the first opening character to the next closing character. When there is
/// no closing character, or nothing between the two, the whole key is hashed.
///
/// ```swift
/// let tag = TwemproxyHashTag("{}")!
/// assert(Array(tag.hashedPart(of: Array("user:{42}:cart".utf8))) == Array("42".utf8))
/// ```
public struct TwemproxyHashTag: Hashable, Sendable {
    /// The character that opens the tag.
    public let opening: UInt8

    /// The character that closes the tag.
    public let closing: UInt8

    /// A tag from exactly two ASCII characters, as `hash_tag:` takes; `nil` otherwise.
    public init?(_ characters: String) {
        let bytes = Array(characters.utf8)
        guard bytes.count == 2 else { return nil }
        self.opening = bytes[0]
        self.closing = bytes[1]
    }

    /// The part of `key` that twemproxy hashes.
    public func hashedPart<Bytes: Collection<UInt8>>(of key: Bytes) -> Bytes.SubSequence {
        guard let opening = key.firstIndex(of: self.opening) else { return key[...] }
        let start = key.index(after: opening)
        guard let closing = key[start...].firstIndex(of: self.closing), closing != start else { return key[...] }
        return key[start..<closing]
    }

    /// The part of raw key bytes that twemproxy hashes.
    public func hashedPart(of key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let opening = key.firstIndex(of: self.opening) else { return key }
        let start = opening + 1
        guard let closing = key[start...].firstIndex(of: self.closing), closing != start else { return key }
        return UnsafeRawBufferPointer(rebasing: key[start..<closing])
    }
}
