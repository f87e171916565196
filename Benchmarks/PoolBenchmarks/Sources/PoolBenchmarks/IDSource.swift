import Synchronization

/// Hands out increasing connection identifiers.
final class IDSource: Sendable {
    private let counter = Atomic<Int>(0)

    func next() -> Int {
        self.counter.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
