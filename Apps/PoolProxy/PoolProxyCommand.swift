import ArgumentParser

@main
struct PoolProxyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool-proxy",
        abstract: "A Redis proxy that pools and multiplexes many clients over a few backend connections.",
        discussion: """
            pool-proxy shards keys across Redis servers the way twemproxy does, or fronts a Redis Cluster, \
            ejects failing backends and exports metrics. This build carries the command-line skeleton only: \
            the proxy itself lands with the pool-proxy issue.
            """
    )

    func run() throws {
        throw CleanExit.message("pool-proxy: the proxy is not part of this build yet; see --help.")
    }
}
