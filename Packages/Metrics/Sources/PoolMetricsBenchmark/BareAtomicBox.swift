import Synchronization

/// The baseline: one atomic in a class, as a counter would hold it, with nothing around it.
final class BareAtomicBox: Sendable {
    let storage = Atomic<UInt64>(0)

    @inline(__always)
    func increment() {
        self.storage.wrappingAdd(1, ordering: .relaxed)
    }
}
