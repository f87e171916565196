import NIOCore
import RESPCodec

@testable import SocketIO

/// The result of a future on the embedded loop, observed without waiting.
final class Outcome<Value> {
    private(set) var outcome: Result<Value, any Error>?

    init(_ future: EventLoopFuture<Value>) {
        future.assumeIsolated().whenComplete { self.outcome = $0 }
    }

    func get() throws -> Value {
        guard let outcome = self.outcome else { throw RedisTestServerError(message: "still pending") }
        return try outcome.get()
    }

    var errorCode: SocketIOError.Code? {
        guard case .failure(let error) = self.outcome else { return nil }
        return (error as? SocketIOError)?.code
    }
}

extension Outcome where Value == RESPToken {
    func value() throws -> RESPValue {
        RESPValue(try self.get())
    }
}
