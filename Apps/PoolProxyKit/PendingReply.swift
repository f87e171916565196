import CircuitBreaker
import NIOCore

/// A request written to a backend whose reply has not arrived yet; backends answer in order.
struct PendingReply {
    var target: ReplyTarget
    /// `NIODeadline.now()` in nanoseconds when the request was written, for its timeout and latency.
    var sentAt: UInt64
    var permit: CircuitBreakerPermitTag?
    /// In a cluster pool, the request itself, so that a `MOVED`, `ASK` or `TRYAGAIN` reply can send it again.
    var request: ByteBuffer? = nil
    /// Redirects and retries this request has had so far.
    var redirects: UInt8 = 0
}
