import SocketIO

/// Everything one run needs, independent of the command line.
///
/// ```swift
/// var configuration = BenchConfiguration(workload: workload)
/// configuration.connections = 8
/// configuration.length = .duration(.seconds(2))
/// configuration.rate = 10_000   // open loop
/// ```
struct BenchConfiguration: Sendable {
    enum Length: Sendable, Equatable {
        /// Measured requests in total, split across the connections.
        case requests(Int)
        case duration(Duration)
    }

    var workload: Workload
    var connections = 50
    var threads = 2
    var pipeline = 1
    var length: Length = .duration(.seconds(10))
    var warmup: Duration = .zero
    /// Requests per second in total; nil runs closed loop.
    var rate: Double?
    var seed: UInt64 = 1
    var socket = SocketClientOptions()
    var handshake = RESPHandshake()
    /// How long to wait for outstanding replies after the run before counting them as errors.
    var drainTimeout: Duration = .seconds(5)
    /// A connection with requests in flight and no reply for this long stops; its in-flight requests and the rest
    /// of its `--requests` share count as errors. nil waits forever.
    var stallTimeout: Duration? = .seconds(10)

    init(workload: Workload) {
        self.workload = workload
    }

    /// `i`'s share of `--requests`, remainders going to the first connections.
    func quota(ofConnection index: Int) -> Int? {
        guard case .requests(let total) = self.length else { return nil }
        return total / self.connections + (index < total % self.connections ? 1 : 0)
    }
}
