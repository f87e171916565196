/// A pool's counts, in twemproxy's terms: one loop's (``PoolTally``), or the sum over every loop.
struct PoolCounts: Sendable, Hashable {
    var clientEOF: UInt64 = 0
    var clientErrors: UInt64 = 0
    var clientConnections: UInt64 = 0
    var totalClientConnections: UInt64 = 0
    var forwardErrors: UInt64 = 0
    var fragments: UInt64 = 0
    var pinnedClients: UInt64 = 0
    /// Clients parked in the pool's listener (counted in ``clientConnections`` too); set in sums only.
    var parkedClients: UInt64 = 0
    var authFailures: UInt64 = 0
    /// Times a client was parked (`client_park_after`).
    var clientParkings: UInt64 = 0
    var requestsByClass: [UInt64] = Array(repeating: 0, count: CommandClass.allCases.count)

    static func + (left: Self, right: Self) -> Self {
        Self(
            clientEOF: left.clientEOF + right.clientEOF,
            clientErrors: left.clientErrors + right.clientErrors,
            clientConnections: left.clientConnections + right.clientConnections,
            totalClientConnections: left.totalClientConnections + right.totalClientConnections,
            forwardErrors: left.forwardErrors + right.forwardErrors,
            fragments: left.fragments + right.fragments,
            pinnedClients: left.pinnedClients + right.pinnedClients,
            parkedClients: left.parkedClients + right.parkedClients,
            authFailures: left.authFailures + right.authFailures,
            clientParkings: left.clientParkings + right.clientParkings,
            requestsByClass: zip(left.requestsByClass, right.requestsByClass).map { $0 + $1 }
        )
    }
}
