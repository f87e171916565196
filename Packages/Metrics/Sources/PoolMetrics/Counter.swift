import Synchronization

/// A monotonically increasing count, updated lock-free.
///
/// ```swift
/// let requests = Counter(name: "proxy_requests_total")
/// requests.increment()
/// requests.increment(by: 5)
/// assert(requests.value == 6)
/// ```
public final class Counter: Sendable {
    /// The exported name, with `_total` as Prometheus expects of counters.
    public let name: String
    // Visible to inlinable code so an update compiles to the bare atomic instruction in the caller.
    @usableFromInline
    let storage = Atomic<UInt64>(0)

    /// Creates a counter that starts at zero.
    public init(name: String) {
        self.name = name
    }

    /// Adds `amount` to the counter.
    @inlinable
    public func increment(by amount: UInt64 = 1) {
        self.add(amount)
    }

    @inlinable
    func add(_ amount: UInt64) {
        self.storage.wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current count.
    public var value: UInt64 {
        self.storage.load(ordering: .relaxed)
    }
}
