import NIOCore
import RESPCodec

/// One write on a ``RESPConnection``: encoded commands and where their replies go.
struct RESPOutboundRequest: Sendable {
    enum Reply: Sendable {
        case single(EventLoopPromise<RESPToken>)
        case batch(EventLoopPromise<[RESPToken]>, count: Int)
        /// A task awaiting one reply: resumed straight from the event loop, with no future and no callback hop.
        case awaiting(UnsafeContinuation<RESPToken, any Error>)
        /// A task awaiting `count` replies, resumed like ``awaiting(_:)`` once the last one arrives.
        case awaitingBatch(UnsafeContinuation<[RESPToken], any Error>, count: Int)

        func fail(_ error: any Error) {
            switch self {
            case .single(let promise): promise.fail(error)
            case .batch(let promise, _): promise.fail(error)
            case .awaiting(let continuation): continuation.resume(throwing: error)
            case .awaitingBatch(let continuation, _): continuation.resume(throwing: error)
            }
        }
    }

    var bytes: ByteBuffer
    var reply: Reply
    var timeout: TimeAmount?
}
