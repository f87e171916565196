import NIOConcurrencyHelpers
import Synchronization

/// Runs at most one computation per key at a time; concurrent callers for the key share its result or its error.
///
/// The computation runs in its own task, so a caller that is cancelled stops waiting without cancelling the
/// work the other callers wait for.
///
/// ```swift
/// let flights = SingleFlight<String, ByteBuffer>()
/// let value = try await flights.run("user:42") { try await loadUser(42) }
/// ```
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let table = NIOLockedValueBox(SingleFlightTable<Key, Task<Value, any Error>>())
    private let shared = Atomic<Int>(0)
    private let onShared: @Sendable () -> Void

    /// Creates an empty group; `onShared` runs each time a caller joins another caller's computation.
    public init(onShared: @escaping @Sendable () -> Void = {}) {
        self.onShared = onShared
    }

    /// The result of `body`, computed once for all the callers that ask for `key` while it runs.
    public func run(_ key: Key, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (flight, _, isLeader) = self.table.withLockedValue { table in
            table.join(key) { id in
                Task {
                    defer { self.table.withLockedValue { $0.finish(key, id: id) } }
                    return try await body()
                }
            }
        }
        if !isLeader {
            self.shared.add(1, ordering: .relaxed)
            self.onShared()
        }
        return try await flight.value
    }

    /// Callers that joined the running flight for `key`, the first one included; 0 when none runs.
    public func callers(of key: Key) -> Int {
        self.table.withLockedValue { $0.callers(of: key) }
    }

    /// Callers since creation that were served another caller's result instead of computing.
    public var sharedResults: Int { self.shared.load(ordering: .relaxed) }
}
