import CircuitBreaker

/// A request written to a backend whose reply has not arrived yet; backends answer in order.
struct PendingReply {
    var target: ReplyTarget
    /// `NIODeadline.now()` in nanoseconds when the request was written, for its timeout and latency.
    var sentAt: UInt64
    var permit: CircuitBreakerPermitTag?
}
