/// Everything pool-proxy runs: one or more named server pools, each with its own listen address.
///
/// Comes from a twemproxy `nutcracker.yml` (``ProxyConfiguration/load(file:)``) or from command-line flags
/// (``ProxyConfiguration/commandLine(listen:backends:hash:hashTag:distribution:timeout:)``).
/// ``ProxyConfiguration/changes(from:)`` tells a SIGHUP reload what to start, stop and update.
///
/// ```swift
/// let configuration = try ProxyConfiguration.load(file: "/etc/pool-proxy/nutcracker.yml")
/// for pool in configuration.pools { print(pool.name, pool.listen) }
/// ```
public struct ProxyConfiguration: Sendable, Hashable {
    /// The pools, in the order the file lists them.
    public var pools: [ServerPoolConfiguration]

    /// A configuration from already-validated pools.
    public init(pools: [ServerPoolConfiguration]) {
        self.pools = pools
    }
}
