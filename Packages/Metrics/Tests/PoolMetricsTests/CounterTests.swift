import Testing

@testable import PoolMetrics

@Suite struct CounterTests {
    @Test func startsAtZeroAndAdds() {
        let counter = Counter(name: "requests_total")
        #expect(counter.value == 0)
        counter.increment()
        counter.increment(by: 41)
        #expect(counter.value == 42)
    }

    @Test func concurrentIncrementsLoseNothing() async {
        let counter = Counter(name: "requests_total")
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    for _ in 0..<10_000 { counter.increment() }
                }
            }
        }
        #expect(counter.value == 320_000)
    }
}
