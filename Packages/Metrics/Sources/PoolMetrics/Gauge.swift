import Synchronization

/// A value that goes up and down, updated lock-free.
///
/// ```swift
/// let idle = Gauge(name: "pool_connections")
/// idle.increment()
/// idle.set(to: 7)
/// idle.decrement(by: 2)
/// assert(idle.value == 5)
/// ```
public final class Gauge: Sendable {
    /// The exported name.
    public let name: String
    // Visible to inlinable code so an update compiles to the bare atomic instruction in the caller.
    @usableFromInline
    let storage = Atomic<Int64>(0)

    /// Creates a gauge that starts at zero.
    public init(name: String) {
        self.name = name
    }

    /// Replaces the current value.
    @inlinable
    public func set(to value: Int64) {
        self.store(value)
    }

    /// Adds `amount` to the gauge.
    @inlinable
    public func increment(by amount: Int64 = 1) {
        self.add(amount)
    }

    /// Subtracts `amount` from the gauge.
    @inlinable
    public func decrement(by amount: Int64 = 1) {
        self.add(0 &- amount)
    }

    @inlinable
    func add(_ amount: Int64) {
        self.storage.wrappingAdd(amount, ordering: .relaxed)
    }

    @inlinable
    func store(_ value: Int64) {
        self.storage.store(value, ordering: .relaxed)
    }

    /// The current value.
    public var value: Int64 {
        self.storage.load(ordering: .relaxed)
    }
}
