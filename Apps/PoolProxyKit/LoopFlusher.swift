import NIOCore

/// Batches flushes on one event loop: writes to clients and backends are flushed once, after the loop has
/// handled every socket that was ready in this turn. Fifty clients each sending one request in the same turn
/// then cost one write to the backend, not fifty.
final class LoopFlusher {
    private let eventLoop: any EventLoop
    private var sessions: [ClientSession] = []
    private var connections: [BackendConnection] = []
    private var isScheduled = false
    /// The buffer whose requests (or replies) are being handed on now, while a channel's read is processed: the
    /// slices of it that channels write can join into one ``WriteRun``.
    var readSource: ByteBuffer?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `body` with `buffer` as the ``readSource``.
    @inline(__always)
    func reading<Result>(_ buffer: ByteBuffer, _ body: () throws -> Result) rethrows -> Result {
        let outer = self.readSource.take()
        self.readSource = buffer
        defer { self.readSource = outer }
        return try body()
    }

    func schedule(_ session: ClientSession) {
        self.sessions.append(session)
        self.scheduleFlushAtEndOfTurn()
    }

    func schedule(_ connection: BackendConnection) {
        self.connections.append(connection)
        self.scheduleFlushAtEndOfTurn()
    }

    private func scheduleFlushAtEndOfTurn() {
        guard !self.isScheduled else { return }
        self.isScheduled = true
        // Tasks submitted with execute run after the loop has processed the I/O events of the current turn.
        self.eventLoop.assumeIsolated().execute { self.flushAll() }
    }

    func flushAll() {
        self.isScheduled = false
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
