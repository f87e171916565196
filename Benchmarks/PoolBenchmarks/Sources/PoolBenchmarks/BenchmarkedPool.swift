/// One pool under test: it is started, measured with acquire+release cycles, then shut down.
protocol BenchmarkedPool: Sendable {
    /// Runs one acquire+release cycle.
    func cycle() async throws
    /// Ends the pool's background work.
    func shutdown() async
}
