import Synchronization

/// Counts how often a computation ran, from any task.
final class ComputationCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() {
        self.count.add(1, ordering: .relaxed)
    }

    var value: Int { self.count.load(ordering: .relaxed) }
}
