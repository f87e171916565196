import PoolCore
import Synchronization

/// A connection that does nothing, so only the pools are measured.
final class StubConnection: PoolCore.PooledConnection, Sendable {
    let id: Int

    init(id: Int) {
        self.id = id
    }

    func keepAlive() async throws {}

    func close() async {}
}
