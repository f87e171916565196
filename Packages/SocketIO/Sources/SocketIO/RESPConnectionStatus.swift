import NIOConcurrencyHelpers
import Synchronization

/// What the event loop has learnt about a connection, readable from any thread without a round trip.
final class RESPConnectionStatus: Sendable {
    private let unhealthy = Atomic<Bool>(false)
    private let closeReason = NIOLockedValueBox<SocketIOError?>(nil)

    /// Set by unexpected input and by any failure, possibly a moment before the channel itself is inactive.
    var isUnhealthy: Bool {
        self.unhealthy.load(ordering: .relaxed)
    }

    var failure: SocketIOError? {
        self.closeReason.withLockedValue { $0 }
    }

    func markUnhealthy() {
        self.unhealthy.store(true, ordering: .relaxed)
    }

    func recordFailure(_ error: SocketIOError) {
        self.closeReason.withLockedValue { reason in
            if reason == nil { reason = error }
        }
        self.markUnhealthy()
    }
}
