import NIOCore
import RESPCodec

/// Gathers the replies of one batch; lives on the event loop.
final class RESPBatchCollector {
    private let promise: EventLoopPromise<[RESPToken]>
    private let expected: Int
    private var replies: [RESPToken]

    init(promise: EventLoopPromise<[RESPToken]>, expected: Int) {
        self.promise = promise
        self.expected = expected
        self.replies = []
        self.replies.reserveCapacity(expected)
    }

    func receive(_ token: RESPToken) {
        self.replies.append(token)
        if self.replies.count == self.expected {
            self.promise.succeed(self.replies)
        }
    }

    func fail(_ error: any Error) {
        self.promise.fail(error)
    }
}
