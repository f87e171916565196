/// One command's row of a run.
struct CommandResult: Sendable {
    let name: String
    let operations: UInt64
    let hits: UInt64
    let misses: UInt64
    /// Error type (the first word of an error reply, or a transport failure) to count.
    let errors: [String: UInt64]
    /// From the intended send time in open loop; from the actual send time in closed loop.
    let latency: LatencySummary
    /// From the actual send time; only in open loop.
    let uncorrected: LatencySummary?

    var errorCount: UInt64 { self.errors.values.reduce(0, +) }
}
