import PoolCore

/// A factory whose dials wait until the test decides: ``succeedNextDial()`` or ``failNextDial(with:)``
/// completes the oldest pending dial. With `autoSucceed`, dials succeed at once.
///
/// ```swift
/// let factory = MockConnectionFactory()
/// await factory.waitForPendingDials(count: 2)
/// factory.succeedNextDial()
/// factory.failNextDial(with: MockError("refused"))
/// ```
public final class MockConnectionFactory: ConnectionFactory, Sendable {
    private struct PendingDial {
        var id: UInt64
        var continuation: CheckedContinuation<MockConnection, any Error>
    }

    private struct State {
        var autoSucceed: Bool
        var nextConnectionID = 0
        var nextDialID: UInt64 = 0
        var dialAttempts = 0
        var pending: [PendingDial] = []
        var connections: [MockConnection] = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        mutating func makeConnection() -> MockConnection {
            self.nextConnectionID += 1
            let connection = MockConnection(id: self.nextConnectionID)
            self.connections.append(connection)
            return connection
        }
    }

    private let state: LockedValue<State>

    /// Creates a factory; with `autoSucceed` every dial succeeds at once.
    public init(autoSucceed: Bool = false) {
        self.state = LockedValue(State(autoSucceed: autoSucceed))
    }

    /// Dials started so far.
    public var dialAttempts: Int { self.state.withLock { $0.dialAttempts } }

    /// Dials waiting for the test's decision.
    public var pendingDialCount: Int { self.state.withLock { $0.pending.count } }

    /// Every connection this factory opened, oldest first.
    public var connections: [MockConnection] { self.state.withLock { $0.connections } }

    /// Makes later dials succeed at once (`true`) or wait for the test (`false`).
    public func setAutoSucceed(_ autoSucceed: Bool) {
        self.state.withLock { $0.autoSucceed = autoSucceed }
    }

    public func makeConnection() async throws -> MockConnection {
        let dialID = self.state.withLock { state in
            state.dialAttempts += 1
            state.nextDialID += 1
            return state.nextDialID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<MockConnection, any Error>) in
                let (connection, watchers) = self.state.withLock { state in
                    if state.autoSucceed {
                        return (Optional(state.makeConnection()), [CheckedContinuation<Void, Never>]())
                    }
                    state.pending.append(PendingDial(id: dialID, continuation: continuation))
                    let count = state.pending.count
                    let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
                    state.watchers.removeAll { $0.count <= count }
                    return (nil, ready)
                }
                if let connection { continuation.resume(returning: connection) }
                for watcher in watchers { watcher.resume() }
                // The cancellation handler may have run before the dial was registered.
                if Task.isCancelled { self.cancelDial(id: dialID) }
            }
        } onCancel: {
            self.cancelDial(id: dialID)
        }
    }

    private func cancelDial(id: UInt64) {
        let dial = self.state.withLock { state -> PendingDial? in
            guard let index = state.pending.firstIndex(where: { $0.id == id }) else { return nil }
            return state.pending.remove(at: index)
        }
        dial?.continuation.resume(throwing: CancellationError())
    }

    /// Returns once at least `count` dials are pending.
    public func waitForPendingDials(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state in
                if state.pending.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Completes the oldest pending dial with a new connection, which it returns.
    @discardableResult
    public func succeedNextDial() -> MockConnection {
        let (dial, connection) = self.state.withLock { state in
            precondition(!state.pending.isEmpty, "no pending dial")
            return (state.pending.removeFirst(), state.makeConnection())
        }
        dial.continuation.resume(returning: connection)
        return connection
    }

    /// Fails the oldest pending dial with `error`.
    public func failNextDial(with error: any Error) {
        let dial = self.state.withLock { state in
            precondition(!state.pending.isEmpty, "no pending dial")
            return state.pending.removeFirst()
        }
        dial.continuation.resume(throwing: error)
    }
}
