/// One event loop's counts for one server, in twemproxy's terms. Only that loop touches it, so the hot path
/// adds to plain integers; the stats and metrics endpoints sum the loops' copies.
final class ServerTally {
    var serverEOF: UInt64 = 0
    var serverErrors: UInt64 = 0
    var serverTimedOut: UInt64 = 0
    var serverConnections: UInt64 = 0
    var requests: UInt64 = 0
    var requestBytes: UInt64 = 0
    var responses: UInt64 = 0
    var responseBytes: UInt64 = 0
    var inQueue: UInt64 = 0
    var inQueueBytes: UInt64 = 0

    var snapshot: ServerTallySnapshot {
        ServerTallySnapshot(
            serverEOF: self.serverEOF,
            serverErrors: self.serverErrors,
            serverTimedOut: self.serverTimedOut,
            serverConnections: self.serverConnections,
            requests: self.requests,
            requestBytes: self.requestBytes,
            responses: self.responses,
            responseBytes: self.responseBytes,
            inQueue: self.inQueue,
            inQueueBytes: self.inQueueBytes
        )
    }
}
