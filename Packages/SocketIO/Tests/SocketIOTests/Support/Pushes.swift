import RESPCodec
import Synchronization

/// Push frames seen by the handler's callback.
final class Pushes: Sendable {
    private let received = Mutex<[RESPValue]>([])

    var values: [RESPValue] {
        self.received.withLock { $0 }
    }

    func append(_ value: RESPValue) {
        self.received.withLock { $0.append(value) }
    }
}
