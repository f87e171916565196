import Testing

@testable import PoolMetrics

@Suite struct GaugeTests {
    @Test func goesUpDownAndIsSet() {
        let gauge = Gauge(name: "pool_connections")
        #expect(gauge.value == 0)
        gauge.increment(by: 5)
        gauge.decrement(by: 7)
        #expect(gauge.value == -2)
        gauge.set(to: 42)
        gauge.decrement()
        #expect(gauge.value == 41)
    }

    @Test func concurrentUpsAndDownsCancelOut() async {
        let gauge = Gauge(name: "pool_pending")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for _ in 0..<5_000 {
                        if task.isMultiple(of: 2) { gauge.increment(by: 3) } else { gauge.decrement(by: 3) }
                    }
                }
            }
        }
        #expect(gauge.value == 0)
    }
}
