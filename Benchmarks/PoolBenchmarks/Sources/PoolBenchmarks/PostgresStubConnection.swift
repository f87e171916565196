import Synchronization
import _ConnectionPoolModule

/// postgres-nio's pool needs its own connection protocol: a class with close callbacks.
final class PostgresStubConnection: _ConnectionPoolModule.PooledConnection {
    let id: Int
    private let closeCallbacks = Mutex<[@Sendable ((any Error)?) -> Void]>([])

    init(id: Int) {
        self.id = id
    }

    func onClose(_ closure: @escaping @Sendable ((any Error)?) -> Void) {
        self.closeCallbacks.withLock { $0.append(closure) }
    }

    func close() {
        for callback in self.closeCallbacks.withLock({ $0 }) { callback(nil) }
    }
}
