/// Batches flushes on one event loop: writes to clients and backends during a read burst are flushed once, at
/// the end of the burst, which is what lets many pipelined requests share a few syscalls.
final class LoopFlusher {
    private var sessions: [ClientSession] = []
    private var connections: [BackendConnection] = []

    func schedule(_ session: ClientSession) {
        self.sessions.append(session)
    }

    func schedule(_ connection: BackendConnection) {
        self.connections.append(connection)
    }

    func flushAll() {
        // Flushing may close a channel, whose handlers may schedule more; loop until both lists stay empty.
        while !self.sessions.isEmpty || !self.connections.isEmpty {
            if !self.connections.isEmpty {
                let connections = self.connections
                self.connections.removeAll(keepingCapacity: true)
                for connection in connections { connection.flush() }
            }
            if !self.sessions.isEmpty {
                let sessions = self.sessions
                self.sessions.removeAll(keepingCapacity: true)
                for session in sessions { session.flush() }
            }
        }
    }
}
