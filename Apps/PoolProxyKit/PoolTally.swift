/// One event loop's counts for one pool, in twemproxy's terms; see ``ServerTally``.
final class PoolTally {
    var clientEOF: UInt64 = 0
    var clientErrors: UInt64 = 0
    var clientConnections: UInt64 = 0
    var totalClientConnections: UInt64 = 0
    var forwardErrors: UInt64 = 0
    var fragments: UInt64 = 0
    var pinnedClients: UInt64 = 0
    var requestsByClass: [UInt64] = Array(repeating: 0, count: CommandClass.allCases.count)

    var snapshot: PoolTallySnapshot {
        PoolTallySnapshot(
            clientEOF: self.clientEOF,
            clientErrors: self.clientErrors,
            clientConnections: self.clientConnections,
            totalClientConnections: self.totalClientConnections,
            forwardErrors: self.forwardErrors,
            fragments: self.fragments,
            pinnedClients: self.pinnedClients,
            requestsByClass: self.requestsByClass
        )
    }
}
