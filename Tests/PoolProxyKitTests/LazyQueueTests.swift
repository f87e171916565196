import NIOCore
import Testing

@testable import PoolProxyKit

@Suite struct LazyQueueTests {
    @Test func keepsOrderAcrossAppendAndPrepend() {
        var queue = LazyQueue<Int>()
        #expect(queue.isEmpty && queue.count == 0 && queue.first == nil && queue.popFirst() == nil)
        for value in 1...10 { queue.append(value) }
        queue.prepend(0)
        #expect(queue.count == 11 && queue.first == 0)
        var drained: [Int] = []
        while let value = queue.popFirst() { drained.append(value) }
        #expect(drained == Array(0...10))
        #expect(queue.isEmpty)
        queue.append(42)
        #expect(queue.removeFirst() == 42)
        queue.append(1)
        queue.removeAll()
        #expect(queue.isEmpty)
    }
}
