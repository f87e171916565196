import Testing

@testable import PoolCore

@Suite struct WaiterQueueTests {
    private func entry(_ waiter: String, at second: Int) -> WaiterQueue<String>.Entry {
        .init(waiter: waiter, enqueuedAt: .seconds(second), deadline: .seconds(second + 10))
    }

    @Test func popsInFIFOOrderSkippingRemovedWaiters() {
        var queue = WaiterQueue<String>()
        queue.append(id: 1, self.entry("a", at: 0))
        queue.append(id: 2, self.entry("b", at: 1))
        queue.append(id: 3, self.entry("c", at: 2))
        #expect(queue.remove(id: 1)?.waiter == "a")
        #expect(queue.remove(id: 1) == nil)
        #expect(queue.count == 2)
        #expect(queue.firstDeadline() == .seconds(11))
        #expect(queue.popFirst()?.waiter == "b")
        #expect(queue.removeAll().map(\.waiter) == ["c"])
        #expect(queue.isEmpty && queue.popFirst() == nil && queue.firstDeadline() == nil)
    }
}
