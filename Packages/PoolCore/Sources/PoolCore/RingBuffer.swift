/// A growable double-ended queue with O(1) push and pop at both ends.
@usableFromInline struct RingBuffer<Element> {
    @usableFromInline var storage: ContiguousArray<Element?>
    @usableFromInline var head = 0
    @usableFromInline var count = 0

    @usableFromInline init(minimumCapacity: Int = 8) {
        var capacity = 1
        while capacity < minimumCapacity { capacity <<= 1 }
        self.storage = ContiguousArray(repeating: nil, count: capacity)
    }

    @inlinable var isEmpty: Bool { self.count == 0 }

    @inlinable var mask: Int { self.storage.count - 1 }

    @inlinable subscript(offset: Int) -> Element {
        self.storage[(self.head + offset) & self.mask]!
    }

    @inlinable var first: Element? { self.count == 0 ? nil : self.storage[self.head] }

    @inlinable var last: Element? { self.count == 0 ? nil : self.storage[(self.head + self.count - 1) & self.mask] }

    @inlinable mutating func append(_ element: Element) {
        if self.count == self.storage.count { self.grow() }
        self.storage[(self.head + self.count) & self.mask] = element
        self.count += 1
    }

    @inlinable mutating func popFirst() -> Element? {
        guard self.count > 0 else { return nil }
        let element = self.storage[self.head].take()
        self.head = (self.head + 1) & self.mask
        self.count -= 1
        return element
    }

    @inlinable mutating func popLast() -> Element? {
        guard self.count > 0 else { return nil }
        self.count -= 1
        return self.storage[(self.head + self.count) & self.mask].take()
    }

    /// Removes matching elements, keeping the order of the rest. O(n).
    @inlinable mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        var kept = RingBuffer(minimumCapacity: self.storage.count)
        while let element = self.popFirst() {
            if !shouldRemove(element) { kept.append(element) }
        }
        self = kept
    }

    @inlinable mutating func grow() {
        var grown = ContiguousArray<Element?>(repeating: nil, count: self.storage.count * 2)
        for offset in 0..<self.count {
            grown[offset] = self.storage[(self.head + offset) & self.mask].take()
        }
        self.storage = grown
        self.head = 0
    }
}
extension RingBuffer: Sendable where Element: Sendable {}
