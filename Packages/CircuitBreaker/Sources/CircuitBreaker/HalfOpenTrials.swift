/// The trial calls of one half-open period: granted permits still out, and the results reported so far.
struct HalfOpenTrials: Sendable {
    struct OutstandingPermit: Sendable {
        var sequence: UInt64
        var deadline: Duration
    }

    // Bounded by the half-open permitted calls, which are few, so linear scans beat a dictionary.
    private(set) var outstanding: [OutstandingPermit] = []
    private(set) var successes = 0
    private(set) var failures = 0

    /// Slots used: permits still out plus trials that reported.
    var used: Int { self.outstanding.count + self.successes + self.failures }

    var earliestDeadline: Duration? { self.outstanding.lazy.map(\.deadline).min() }

    mutating func reclaimExpired(at now: Duration) -> Int {
        let before = self.outstanding.count
        self.outstanding.removeAll { $0.deadline <= now }
        return before - self.outstanding.count
    }

    mutating func grant(sequence: UInt64, deadline: Duration) {
        self.outstanding.append(OutstandingPermit(sequence: sequence, deadline: deadline))
    }

    /// Removes the permit; false when it is no longer out (reclaimed or already reported).
    mutating func complete(sequence: UInt64) -> Bool {
        guard let index = self.outstanding.firstIndex(where: { $0.sequence == sequence }) else { return false }
        self.outstanding.remove(at: index)
        return true
    }

    mutating func countSuccess() { self.successes += 1 }

    mutating func countFailure() { self.failures += 1 }

    mutating func reset() {
        self.outstanding.removeAll(keepingCapacity: true)
        self.successes = 0
        self.failures = 0
    }
}
