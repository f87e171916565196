/// A server's counts, in twemproxy's terms: one loop's (``ServerTally``), or the sum over every loop.
struct ServerCounts: Sendable, Hashable {
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

    static func + (left: Self, right: Self) -> Self {
        Self(
            serverEOF: left.serverEOF + right.serverEOF,
            serverErrors: left.serverErrors + right.serverErrors,
            serverTimedOut: left.serverTimedOut + right.serverTimedOut,
            serverConnections: left.serverConnections + right.serverConnections,
            requests: left.requests + right.requests,
            requestBytes: left.requestBytes + right.requestBytes,
            responses: left.responses + right.responses,
            responseBytes: left.responseBytes + right.responseBytes,
            inQueue: left.inQueue + right.inQueue,
            inQueueBytes: left.inQueueBytes + right.inQueueBytes
        )
    }
}
