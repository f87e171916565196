import NIOConcurrencyHelpers
import Synchronization

/// What a node's dial closure shares with the node: connection ids and the last dial error.
final class NodeDialState: Sendable {
    private let ids = Atomic<Int>(0)
    private let lastError = NIOLockedValueBox<String?>(nil)

    func nextID() -> Int {
        self.ids.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func dialSucceeded() {
        self.lastError.withLockedValue { $0 = nil }
    }

    func dialFailed(_ error: any Error) {
        self.lastError.withLockedValue { $0 = "\(error)" }
    }

    /// Why the last dial failed, while dials fail.
    var error: String? { self.lastError.withLockedValue { $0 } }
}
