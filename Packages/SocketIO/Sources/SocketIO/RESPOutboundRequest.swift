import NIOCore
import RESPCodec

/// One write on a ``RESPConnection``: encoded commands and where their replies go.
struct RESPOutboundRequest: Sendable {
    enum Reply: Sendable {
        case single(EventLoopPromise<RESPToken>)
        case batch(EventLoopPromise<[RESPToken]>, count: Int)

        func fail(_ error: any Error) {
            switch self {
            case .single(let promise): promise.fail(error)
            case .batch(let promise, _): promise.fail(error)
            }
        }
    }

    var bytes: ByteBuffer
    var reply: Reply
    var timeout: TimeAmount?
}
