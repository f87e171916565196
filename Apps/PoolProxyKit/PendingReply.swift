import CircuitBreaker
import NIOCore

/// A request written to a backend whose reply has not arrived yet; backends answer in order.
struct PendingReply {
    var target: ReplyTarget
    /// `NIODeadline.now()` in nanoseconds when the request was written, for its timeout and latency.
    var sentAt: UInt64
    var permit: CircuitBreakerPermitTag?
    /// In a cluster pool, the request's length in its connection's log of sent requests, so that a `MOVED`, `ASK`
    /// or `TRYAGAIN` reply can send it again; 0 elsewhere.
    var loggedLength: UInt32 = 0
    /// Redirects and retries this request has had so far.
    var redirects: UInt8 = 0
}
