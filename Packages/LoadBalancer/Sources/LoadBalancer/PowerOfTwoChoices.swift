/// Least outstanding requests with the power of two choices: pick two random live endpoints and take the one
/// with fewer requests in flight per unit of weight.
///
/// The caller reports each request's start and finish, so the counts follow the real load.
///
/// ```swift
/// var balancer = PowerOfTwoChoices([WeightedEndpoint("a"), WeightedEndpoint("b"), WeightedEndpoint("c")])
/// var generator = SplitMix64(seed: 7)
/// if let index = balancer.pick(using: &generator) {
///     balancer.requestStarted(at: index)
///     // ... send the request ...
///     balancer.requestFinished(at: index)
/// }
/// ```
public struct PowerOfTwoChoices<Endpoint: Sendable>: Sendable {
    /// The endpoints, with their weights and ejection marks.
    public private(set) var endpoints: EndpointSet<Endpoint>

    @usableFromInline var outstanding: [Int]
    @usableFromInline var weights: [Int]
    @usableFromInline var liveIndices: [Int]

    /// A balancer over `endpoints`, all live and idle.
    public init(_ endpoints: [WeightedEndpoint<Endpoint>]) {
        self.endpoints = EndpointSet(endpoints)
        self.outstanding = Array(repeating: 0, count: endpoints.count)
        self.weights = endpoints.map(\.weight)
        self.liveIndices = self.endpoints.liveIndices
    }

    /// The requests in flight on the endpoint at `index`.
    public func outstandingRequests(at index: Int) -> Int { self.outstanding[index] }

    /// The less loaded of two distinct random live endpoints, or `nil` when every endpoint is ejected.
    ///
    /// Load is outstanding requests divided by weight; on a tie the first draw wins, which is itself random.
    @inlinable
    public func pick<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Int? {
        let live = self.liveIndices
        switch live.count {
        case 0: return nil
        case 1: return live[0]
        default:
            let firstDraw = Int.random(in: 0..<live.count, using: &generator)
            var secondDraw = Int.random(in: 0..<(live.count - 1), using: &generator)
            if secondDraw >= firstDraw { secondDraw += 1 }
            let first = live[firstDraw]
            let second = live[secondDraw]
            let firstLoad = self.outstanding[first] * self.weights[second]
            let secondLoad = self.outstanding[second] * self.weights[first]
            return secondLoad < firstLoad ? second : first
        }
    }

    /// Records that a request was sent to the endpoint at `index`.
    @inlinable
    public mutating func requestStarted(at index: Int) {
        self.outstanding[index] += 1
    }

    /// Records that a request to the endpoint at `index` completed, failed or was cancelled.
    @inlinable
    public mutating func requestFinished(at index: Int) {
        self.outstanding[index] = max(0, self.outstanding[index] - 1)
    }

    /// Ejects or readmits the endpoint at `index`. Its outstanding count is kept: those requests are still out.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        self.endpoints.setEjected(isEjected, at: index)
        self.liveIndices = self.endpoints.liveIndices
    }
}
