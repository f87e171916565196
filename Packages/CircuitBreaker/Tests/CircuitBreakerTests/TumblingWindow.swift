/// A reference model of the fixed window that several peer breakers use: counts that reset every `size` calls.
struct TumblingWindow {
    let size: Int
    private(set) var calls = 0
    private(set) var failures = 0

    init(size: Int) { self.size = size }

    mutating func record(failure: Bool) {
        if self.calls == self.size {
            self.calls = 0
            self.failures = 0
        }
        self.calls += 1
        if failure { self.failures += 1 }
    }

    var failureRate: Double { self.calls == 0 ? 0 : Double(self.failures) / Double(self.calls) }
}
