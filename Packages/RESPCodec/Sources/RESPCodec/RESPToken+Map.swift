import NIOCore

extension RESPToken {
    /// The key–value pairs of a map or attribute, read one pair at a time.
    ///
    /// ```swift
    /// if case .map(let pairs) = token.value {
    ///     for (key, value) in pairs { print(key.typeIdentifier, value.typeIdentifier) }
    /// }
    /// ```
    public struct Map: Sequence, Hashable, Sendable {
        /// The number of pairs.
        public let count: Int
        let elements: ByteBuffer

        init(count: Int, elements: ByteBuffer) {
            self.count = count
            self.elements = elements
        }

        public func makeIterator() -> Iterator {
            Iterator(pairs: Array(count: self.count * 2, elements: self.elements).makeIterator())
        }

        /// The number of bytes the pairs take.
        var byteCount: Int {
            self.elements.withUnsafeReadableBytes { bytes in
                var offset = 0
                for _ in 0..<(self.count * 2) { offset += RESPToken.elementLength(in: bytes, at: offset) }
                return offset
            }
        }

        /// Reads the pairs one by one.
        public struct Iterator: IteratorProtocol {
            var pairs: Array.Iterator

            public mutating func next() -> (key: RESPToken, value: RESPToken)? {
                guard let key = self.pairs.next(), let value = self.pairs.next() else { return nil }
                return (key, value)
            }
        }

        public static func == (lhs: Map, rhs: Map) -> Bool {
            lhs.count == rhs.count && lhs.elementsEqual(rhs) { $0.key == $1.key && $0.value == $1.value }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(self.count)
            for (key, value) in self {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }
}
