import NIOCore
import PoolCore
import Synchronization

/// A backend connection lent whole to one client whose commands change connection state (MULTI, SELECT,
/// blocking commands, SUBSCRIBE, MONITOR...). PoolCore pools them per server and event loop; a connection whose
/// state the client changed for good is discarded when the client leaves, never lent again.
struct DedicatedConnection: PooledConnection {
    private static let nextID = Atomic<Int>(0)

    let id: Int
    let channel: any Channel
    let handler: NIOLoopBound<BackendConnection>

    init(channel: any Channel, handler: NIOLoopBound<BackendConnection>) {
        self.id = Self.nextID.wrappingAdd(1, ordering: .relaxed).newValue
        self.channel = channel
        self.handler = handler
    }

    var isUsable: Bool { self.channel.isActive }

    func close() async {
        try? await self.channel.close()
    }
}
