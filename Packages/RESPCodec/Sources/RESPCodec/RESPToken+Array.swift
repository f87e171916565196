import NIOCore

extension RESPToken {
    /// The elements of an array, set or push, read one token at a time.
    ///
    /// ```swift
    /// if case .array(let elements) = token.value {
    ///     for element in elements { print(element.typeIdentifier) }
    /// }
    /// ```
    public struct Array: Sequence, Hashable, Sendable {
        /// The number of elements.
        public let count: Int
        /// The bytes of the elements, and possibly of what follows them in the frame.
        let elements: ByteBuffer

        init(count: Int, elements: ByteBuffer) {
            self.count = count
            self.elements = elements
        }

        public func makeIterator() -> Iterator {
            Iterator(remaining: self.count, buffer: self.elements)
        }

        /// Reads the elements one by one.
        public struct Iterator: IteratorProtocol {
            var remaining: Int
            var buffer: ByteBuffer

            public mutating func next() -> RESPToken? {
                guard self.remaining > 0 else { return nil }
                self.remaining -= 1
                let length = self.buffer.withUnsafeReadableBytes { RESPToken.elementLength(in: $0, at: 0) }
                return RESPToken(validated: self.buffer.readSlice(length: length)!)
            }
        }

        public static func == (lhs: Array, rhs: Array) -> Bool {
            lhs.count == rhs.count && lhs.elementsEqual(rhs)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(self.count)
            for element in self { hasher.combine(element) }
        }
    }
}
