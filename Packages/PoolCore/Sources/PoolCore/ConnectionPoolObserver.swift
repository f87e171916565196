/// Receives every state change of a ``ConnectionPool``, for metrics and logs.
///
/// Called synchronously on the task that caused the change, outside the pool's lock: keep it quick.
///
/// ```swift
/// struct LeakLogger: ConnectionPoolObserver {
///     func connectionPool(didEmit event: ConnectionPoolEvent<Int>) {
///         if case .leakSuspected(let id, let age) = event { print("connection \(id) leased for \(age)") }
///     }
/// }
/// ```
public protocol ConnectionPoolObserver<ConnectionID>: Sendable {
    /// The identifier type of the observed pool's connections.
    associatedtype ConnectionID: Hashable & Sendable

    /// Called once per event.
    func connectionPool(didEmit event: ConnectionPoolEvent<ConnectionID>)
}
