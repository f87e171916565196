/// What ``CacheClient/start()`` achieved: per node, how many connections were opened and answered PING within
/// the warming timeout. A partial warm is reported as such, never rounded up.
///
/// ```swift
/// let report = try await cache.start()
/// if !report.isComplete {
///     for node in report.nodes where node.ready < node.target {
///         log("\(node.name): \(node.ready)/\(node.target) warm, \(node.error ?? "timed out")")
///     }
/// }
/// ```
public struct WarmingReport: Sendable, Hashable, CustomStringConvertible {
    /// One node's warming.
    public struct Node: Sendable, Hashable {
        /// The node's name (twemproxy name or `host:port`).
        public var name: String
        /// The connections asked for: ``CacheClientConfiguration/minimumIdleConnections``.
        public var target: Int
        /// Connections open and verified with PING when warming ended (at most `target`).
        public var ready: Int
        /// The last dial error, when the node could not be (fully) warmed and one is known.
        public var error: String?

        /// Creates a node report.
        public init(name: String, target: Int, ready: Int, error: String? = nil) {
            self.name = name
            self.target = target
            self.ready = ready
            self.error = error
        }

        /// Whether every asked-for connection is ready.
        public var isComplete: Bool { self.ready >= self.target }
    }

    /// Every node, in ``CacheClientConfiguration/servers`` order.
    public var nodes: [Node]
    /// How long warming took.
    public var elapsed: Duration
    /// Whether warming ran at all (``CacheClientConfiguration/connectionWarming``).
    public var performed: Bool

    /// Creates a report.
    public init(nodes: [Node], elapsed: Duration, performed: Bool) {
        self.nodes = nodes
        self.elapsed = elapsed
        self.performed = performed
    }

    /// Whether every node has all its connections ready.
    public var isComplete: Bool { self.nodes.allSatisfy(\.isComplete) }
    /// Ready connections over all nodes.
    public var ready: Int { self.nodes.reduce(0) { $0 + $1.ready } }
    /// Asked-for connections over all nodes.
    public var target: Int { self.nodes.reduce(0) { $0 + $1.target } }

    public var description: String {
        guard self.performed else { return "warming off" }
        let nodes = self.nodes.map { node in
            "\(node.name) \(node.ready)/\(node.target)" + (node.isComplete ? "" : " (\(node.error ?? "timed out"))")
        }
        return "warmed \(self.ready)/\(self.target) connections in \(self.elapsed): " + nodes.joined(separator: ", ")
    }
}
