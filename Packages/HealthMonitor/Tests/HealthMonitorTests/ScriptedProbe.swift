import Synchronization

@testable import HealthMonitor

/// A probe whose answer per endpoint the test sets, and which counts its calls.
final class ScriptedProbe: Sendable {
    private let answers = LockedValue<[String: Bool]>([:])
    private let calls = Atomic<Int>(0)

    var callCount: Int { self.calls.load(ordering: .sequentiallyConsistent) }

    func answer(_ endpoint: String, healthy: Bool) {
        self.answers.withLock { $0[endpoint] = healthy }
    }

    func callAsFunction(_ endpoint: String) async throws {
        self.calls.add(1, ordering: .sequentiallyConsistent)
        guard self.answers.withLock({ $0[endpoint] ?? true }) else { throw ProbeFailure() }
    }

    struct ProbeFailure: Error {}
}
