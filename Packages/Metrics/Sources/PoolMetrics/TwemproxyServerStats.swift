/// One backend's counters in a twemproxy stats document, under its pool.
///
/// ```swift
/// var server = TwemproxyServerStats(name: "127.0.0.1:6379")
/// server.requests = 10
/// server.responses = 10
/// ```
public struct TwemproxyServerStats: Sendable, Hashable {
    /// The key: the server's name from `servers:` or, without one, `host:port`.
    public var name: String
    /// `server_eof`: connections the backend closed.
    public var serverEOF: UInt64 = 0
    /// `server_err`: connection errors.
    public var serverErrors: UInt64 = 0
    /// `server_timedout`: requests that timed out.
    public var serverTimedOut: UInt64 = 0
    /// `server_connections`: open connections to the backend.
    public var serverConnections: UInt64 = 0
    /// `server_ejected_at`: when the backend was last ejected, in microseconds since the epoch; 0 if never.
    public var serverEjectedAt: Int64 = 0
    /// `requests`: requests forwarded.
    public var requests: UInt64 = 0
    /// `request_bytes`: bytes forwarded.
    public var requestBytes: UInt64 = 0
    /// `responses`: responses received.
    public var responses: UInt64 = 0
    /// `response_bytes`: bytes received.
    public var responseBytes: UInt64 = 0
    /// `in_queue`: requests waiting to be sent.
    public var inQueue: UInt64 = 0
    /// `in_queue_bytes`: bytes waiting to be sent.
    public var inQueueBytes: UInt64 = 0
    /// `out_queue`: requests sent and waiting for a response.
    public var outQueue: UInt64 = 0
    /// `out_queue_bytes`: bytes sent and waiting for a response.
    public var outQueueBytes: UInt64 = 0

    /// Creates a server entry with every counter at zero.
    public init(name: String) {
        self.name = name
    }

    func write(to writer: inout TwemproxyJSONWriter) {
        writer.beginObject(self.name)
        writer.field("server_eof", self.serverEOF)
        writer.field("server_err", self.serverErrors)
        writer.field("server_timedout", self.serverTimedOut)
        writer.field("server_connections", self.serverConnections)
        writer.field("server_ejected_at", self.serverEjectedAt)
        writer.field("requests", self.requests)
        writer.field("request_bytes", self.requestBytes)
        writer.field("responses", self.responses)
        writer.field("response_bytes", self.responseBytes)
        writer.field("in_queue", self.inQueue)
        writer.field("in_queue_bytes", self.inQueueBytes)
        writer.field("out_queue", self.outQueue)
        writer.field("out_queue_bytes", self.outQueueBytes)
        writer.endObject()
    }
}
