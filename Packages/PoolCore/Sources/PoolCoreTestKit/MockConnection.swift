import PoolCore

/// A connection for tests: it records keep-alives and closes, and the test decides when it turns unusable
/// or when its keep-alives fail.
///
/// ```swift
/// let connection = factory.succeedNextDial()
/// connection.failKeepAlives(with: MockError("peer gone"))
/// await connection.waitUntilClosed()
/// ```
public final class MockConnection: PooledConnection, Sendable, CustomStringConvertible {
    private struct State {
        var isUsable = true
        var isClosed = false
        var keepAliveError: (any Error)? = nil
        var keepAliveCount = 0
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The identifier the factory gave this connection.
    public let id: Int
    private let state = LockedValue(State())

    /// Creates an open, usable connection.
    public init(id: Int) {
        self.id = id
    }

    public var description: String { "MockConnection(\(self.id))" }

    public var isUsable: Bool { self.state.withLock { $0.isUsable && !$0.isClosed } }

    /// Whether the pool has closed this connection.
    public var isClosed: Bool { self.state.withLock { $0.isClosed } }

    /// How many keep-alives ran.
    public var keepAliveCount: Int { self.state.withLock { $0.keepAliveCount } }

    /// Makes the cheap borrow check fail from now on.
    public func markUnusable() {
        self.state.withLock { $0.isUsable = false }
    }

    /// Makes every later keep-alive throw `error`.
    public func failKeepAlives(with error: any Error) {
        self.state.withLock { $0.keepAliveError = error }
    }

    public func keepAlive() async throws {
        let error = self.state.withLock { state in
            state.keepAliveCount += 1
            return state.keepAliveError
        }
        if let error { throw error }
    }

    public func close() async {
        let waiters = self.state.withLock { state in
            state.isClosed = true
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the pool has closed this connection.
    public func waitUntilClosed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isClosed = self.state.withLock { state in
                if !state.isClosed { state.closeWaiters.append(continuation) }
                return state.isClosed
            }
            if isClosed { continuation.resume() }
        }
    }
}
