import NIOCore
import RESPCodec

/// Gathers the replies of one batch and hands them over once, all of them or the first failure; lives on the
/// event loop.
final class RESPBatchCollector {
    enum Waiter {
        case promise(EventLoopPromise<[RESPToken]>)
        case continuation(UnsafeContinuation<[RESPToken], any Error>)
    }

    private var waiter: Waiter?
    private let expected: Int
    private var replies: [RESPToken]

    init(_ waiter: Waiter, expected: Int) {
        self.waiter = waiter
        self.expected = expected
        self.replies = []
        self.replies.reserveCapacity(expected)
    }

    func receive(_ token: RESPToken) {
        guard self.waiter != nil else { return }
        self.replies.append(token)
        if self.replies.count == self.expected {
            self.complete(.success(self.replies))
        }
    }

    /// Fails the batch; every pending element of a failed connection calls it, and only the first counts.
    func fail(_ error: any Error) {
        self.complete(.failure(error))
    }

    private func complete(_ result: Result<[RESPToken], any Error>) {
        guard let waiter = self.waiter.take() else { return }
        switch waiter {
        case .promise(let promise): promise.completeWith(result)
        case .continuation(let continuation): continuation.resume(with: result)
        }
    }
}
