import NIOCore
import RESPCodec

/// A reply the server still owes, in the order it will arrive.
struct PendingReply {
    enum Target {
        case single(EventLoopPromise<RESPToken>)
        case batchElement(RESPBatchCollector)
        case awaiting(UnsafeContinuation<RESPToken, any Error>)
    }

    let target: Target
    let deadline: NIODeadline?

    func succeed(_ token: RESPToken) {
        switch self.target {
        case .single(let promise): promise.succeed(token)
        case .batchElement(let collector): collector.receive(token)
        case .awaiting(let continuation): continuation.resume(returning: token)
        }
    }

    func fail(_ error: any Error) {
        switch self.target {
        case .single(let promise): promise.fail(error)
        case .batchElement(let collector): collector.fail(error)
        case .awaiting(let continuation): continuation.resume(throwing: error)
        }
    }
}
