import ArgumentParser

@main
struct PoolBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-bench",
        abstract: "A Redis load and latency benchmark with open-loop scheduling and corrected percentiles.",
        discussion: """
            This build carries the command-line skeleton only: the load generator lands with the pool-bench issue.
            """
    )

    func run() throws {
        throw CleanExit.message("pool-bench: the load generator is not part of this build yet; see --help.")
    }
}
