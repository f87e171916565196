/// The bounded FIFO of waiting acquires. Removal by identifier is O(1): it leaves a tombstone in the order,
/// skipped when the head is read, and the order is compacted when tombstones outnumber live waiters.
@usableFromInline struct WaiterQueue<Waiter> {
    @usableFromInline struct Entry {
        @usableFromInline var waiter: Waiter
        @usableFromInline var enqueuedAt: Duration
        @usableFromInline var deadline: Duration

        @inlinable init(waiter: Waiter, enqueuedAt: Duration, deadline: Duration) {
            self.waiter = waiter
            self.enqueuedAt = enqueuedAt
            self.deadline = deadline
        }
    }

    @usableFromInline var order = RingBuffer<UInt64>()
    @usableFromInline var entries: [UInt64: Entry] = [:]

    @inlinable var count: Int { self.entries.count }

    @inlinable var isEmpty: Bool { self.entries.isEmpty }

    @inlinable mutating func append(id: UInt64, _ entry: Entry) {
        precondition(self.entries.updateValue(entry, forKey: id) == nil, "waiter \(id) queued twice")
        self.order.append(id)
    }

    @inlinable mutating func remove(id: UInt64) -> Entry? {
        guard let entry = self.entries.removeValue(forKey: id) else { return nil }
        if self.order.count > 2 * self.entries.count + 32 {
            self.order.removeAll { self.entries[$0] == nil }
        }
        return entry
    }

    @inlinable mutating func popFirst() -> Entry? {
        while let id = self.order.popFirst() {
            if let entry = self.entries.removeValue(forKey: id) { return entry }
        }
        return nil
    }

    /// The head's deadline; deadlines grow along the queue because every waiter gets the same timeout.
    @inlinable mutating func firstDeadline() -> Duration? {
        while let id = self.order.first {
            if let entry = self.entries[id] { return entry.deadline }
            _ = self.order.popFirst()
        }
        return nil
    }

    @inlinable mutating func removeAll() -> [Entry] {
        var removed: [Entry] = []
        removed.reserveCapacity(self.entries.count)
        while let entry = self.popFirst() { removed.append(entry) }
        return removed
    }
}

extension WaiterQueue: Sendable where Waiter: Sendable {}
extension WaiterQueue.Entry: Sendable where Waiter: Sendable {}
