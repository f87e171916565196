/// Counts a pool's connections by state from its events, so the gauges need no call into the pool.
///
/// A connection is *used* while it holds at least one lease. Events about connections it never saw open are
/// ignored, so that a release observed after its connection's close cannot leave a ghost behind.
struct ConnectionStateTally<ConnectionID: Hashable & Sendable>: Sendable {
    private var leasesByConnection: [ConnectionID: Int] = [:]
    private(set) var idle = 0
    private(set) var used = 0

    mutating func opened(_ connection: ConnectionID) {
        guard self.leasesByConnection.updateValue(0, forKey: connection) == nil else { return }
        self.idle += 1
    }

    mutating func leased(_ connection: ConnectionID) {
        self.adjustLeases(of: connection, by: 1)
    }

    mutating func released(_ connection: ConnectionID) {
        self.adjustLeases(of: connection, by: -1)
    }

    mutating func closed(_ connection: ConnectionID) {
        guard let leases = self.leasesByConnection.removeValue(forKey: connection) else { return }
        if leases > 0 { self.used -= 1 } else { self.idle -= 1 }
    }

    mutating func removeAll() {
        self.leasesByConnection.removeAll()
        self.idle = 0
        self.used = 0
    }

    // Concurrent observers may see a release before its acquire, so the count may dip below zero for a moment;
    // only crossing zero moves a connection between idle and used.
    private mutating func adjustLeases(of connection: ConnectionID, by delta: Int) {
        guard let before = self.leasesByConnection[connection] else { return }
        let after = before + delta
        self.leasesByConnection[connection] = after
        switch (before > 0, after > 0) {
        case (false, true):
            self.idle -= 1
            self.used += 1
        case (true, false):
            self.used -= 1
            self.idle += 1
        default:
            break
        }
    }
}
