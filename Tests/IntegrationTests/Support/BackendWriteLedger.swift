import NIOConcurrencyHelpers
import Synchronization

/// What concurrent load clients saw, for failure tests: every acknowledged write, every error reply and every
/// request that did not complete (a transport failure or client timeout: a hang as far as the test is concerned).
///
/// ```swift
/// let ledger = BackendWriteLedger()
/// ledger.acknowledged(BackendWriteLedger.Write(key: "k", server: 1, phase: ledger.phase))
/// #expect(ledger.snapshot.hangs.isEmpty)
/// ```
final class BackendWriteLedger: Sendable {
    struct Write: Sendable, Hashable {
        let key: String
        let server: Int
        /// The phase (see ``BackendWriteLedger/phase``) when the request was sent.
        let phase: Int
    }

    struct Snapshot: Sendable {
        var acknowledged: [Write] = []
        var errors: [(write: Write, message: String)] = []
        var hangs: [String] = []

        func acknowledged(server: Int, phase: Int) -> Int {
            self.acknowledged.count(where: { $0.server == server && $0.phase == phase })
        }

        func errors(server: Int) -> Int {
            self.errors.count(where: { $0.write.server == server })
        }

        /// Acknowledged writes and errors by server and phase, the first errors and hangs: for failure messages.
        var summary: String {
            let servers = Set(self.acknowledged.map(\.server) + self.errors.map(\.write.server)).sorted()
            let counts = servers.map { server in
                let phases = Set(self.acknowledged.filter { $0.server == server }.map(\.phase)).sorted()
                let acks = phases.map { "phase \($0): \(self.acknowledged(server: server, phase: $0))" }
                return
                    "server \(server): acknowledged \(acks.joined(separator: ", ")), errors \(self.errors(server: server))"
            }
            return counts.joined(separator: "; ") + "; first errors: \(self.errors.prefix(3).map(\.message)); "
                + "hangs: \(self.hangs.prefix(3))"
        }
    }

    private let state = NIOLockedValueBox(Snapshot())
    private let currentPhase = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    /// The test's phase (0 before the failure, 1 during, 2 after recovery), stamped on each write.
    var phase: Int {
        get { self.currentPhase.load(ordering: .acquiring) }
        set { self.currentPhase.store(newValue, ordering: .releasing) }
    }

    var isStopped: Bool { self.stopped.load(ordering: .acquiring) }

    func stop() {
        self.stopped.store(true, ordering: .releasing)
    }

    func acknowledged(_ write: Write) {
        self.state.withLockedValue { $0.acknowledged.append(write) }
    }

    func failed(_ write: Write, message: String) {
        self.state.withLockedValue { $0.errors.append((write, message)) }
    }

    func hung(_ description: String) {
        self.state.withLockedValue { $0.hangs.append(description) }
    }

    var snapshot: Snapshot { self.state.withLockedValue { $0 } }
}
