import NIOCore

/// A FIFO queue that holds no storage while empty, for queues that are empty nearly always: a client's deferred
/// requests wait only while it changes connection. An idle client then costs no queue allocation at all.
///
/// ```swift
/// var queue = LazyQueue<Int>()
/// queue.append(1)
/// queue.prepend(0)
/// assert(queue.popFirst() == 0)
/// ```
struct LazyQueue<Element> {
    private var storage: CircularBuffer<Element>?

    var isEmpty: Bool { self.storage?.isEmpty ?? true }
    var count: Int { self.storage?.count ?? 0 }
    var first: Element? { self.storage?.first }

    mutating func append(_ element: Element) {
        if self.storage == nil { self.storage = CircularBuffer(initialCapacity: 4) }
        self.storage!.append(element)
    }

    mutating func prepend(_ element: Element) {
        if self.storage == nil { self.storage = CircularBuffer(initialCapacity: 4) }
        self.storage!.prepend(element)
    }

    mutating func popFirst() -> Element? {
        guard let element = self.storage?.popFirst() else { return nil }
        if self.storage!.isEmpty { self.storage = nil }
        return element
    }

    @discardableResult
    mutating func removeFirst() -> Element {
        self.popFirst()!
    }

    mutating func removeAll() {
        self.storage = nil
    }
}
