import Testing

@testable import PoolCore

@Suite struct RingBufferTests {
    @Test func keepsOrderAcrossWrapAroundAndGrowth() {
        var buffer = RingBuffer<Int>(minimumCapacity: 4)
        for value in 0..<3 { buffer.append(value) }
        #expect(buffer.popFirst() == 0)
        #expect(buffer.popFirst() == 1)
        for value in 3..<12 { buffer.append(value) }
        #expect(buffer.count == 10)
        #expect(buffer.first == 2 && buffer.last == 11)
        #expect(buffer.popLast() == 11)
        #expect((0..<buffer.count).map { buffer[$0] } == Array(2...10))
    }

    @Test func removeAllKeepsTheOrderOfTheRest() {
        var buffer = RingBuffer<Int>()
        for value in 0..<20 { buffer.append(value) }
        buffer.removeAll { $0.isMultiple(of: 3) }
        var drained: [Int] = []
        while let value = buffer.popFirst() { drained.append(value) }
        #expect(drained == (0..<20).filter { !$0.isMultiple(of: 3) })
        #expect(buffer.isEmpty && buffer.popLast() == nil && buffer.first == nil)
    }
}
