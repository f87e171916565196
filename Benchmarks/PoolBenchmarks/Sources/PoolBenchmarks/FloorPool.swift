import Synchronization

/// The floor: a `Mutex`-guarded array of idle connections and a FIFO of waiting continuations, nothing else.
final class FloorPool: BenchmarkedPool {
    private struct State {
        var idle: [StubConnection]
        var waiters: [CheckedContinuation<StubConnection, Never>] = []
        var waiterHead = 0
    }

    private let state: Mutex<State>

    init(size: Int) {
        self.state = Mutex(State(idle: (0..<size).map { StubConnection(id: $0) }))
    }

    func acquire() async -> StubConnection {
        if let connection = self.state.withLock({ $0.idle.popLast() }) { return connection }
        return await withCheckedContinuation { continuation in
            let connection = self.state.withLock { state -> StubConnection? in
                if let connection = state.idle.popLast() { return connection }
                state.waiters.append(continuation)
                return nil
            }
            if let connection { continuation.resume(returning: connection) }
        }
    }

    func release(_ connection: StubConnection) {
        let waiter = self.state.withLock { state -> CheckedContinuation<StubConnection, Never>? in
            guard state.waiterHead < state.waiters.count else {
                state.idle.append(connection)
                return nil
            }
            let waiter = state.waiters[state.waiterHead]
            state.waiterHead += 1
            if state.waiterHead == state.waiters.count {
                state.waiters.removeAll(keepingCapacity: true)
                state.waiterHead = 0
            }
            return waiter
        }
        waiter?.resume(returning: connection)
    }

    func cycle() async throws {
        let connection = await self.acquire()
        self.release(connection)
    }

    func shutdown() async {}
}
