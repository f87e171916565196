import NIOConcurrencyHelpers
import RESPCodec

/// Push frames seen by the handler's callback.
final class Pushes: Sendable {
    private let received = NIOLockedValueBox<[RESPValue]>([])

    var values: [RESPValue] {
        self.received.withLockedValue { $0 }
    }

    func append(_ value: RESPValue) {
        self.received.withLockedValue { $0.append(value) }
    }
}
