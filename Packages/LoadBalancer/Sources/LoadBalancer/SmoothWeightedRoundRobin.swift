/// Smooth weighted round robin, as nginx does it: heavier endpoints are picked more often, and evenly spread.
///
/// Each pick adds every live endpoint's weight to its running score, picks the highest score (the lowest
/// index on ties) and subtracts the total weight from it. For weights 5, 1, 1 the picks are
/// a, a, b, a, c, a, a. The sequence repeats after (total weight) picks, so when that period is short the
/// strategy precomputes it and a pick costs O(1); otherwise a pick costs O(live endpoints).
///
/// ```swift
/// var balancer = SmoothWeightedRoundRobin([WeightedEndpoint("a", weight: 5), WeightedEndpoint("b")])
/// let first = balancer.next()   // 0, endpoint "a"
/// ```
public struct SmoothWeightedRoundRobin<Endpoint: Sendable>: Sendable {
    /// The endpoints, with their weights and ejection marks.
    public private(set) var endpoints: EndpointSet<Endpoint>

    private var scores: [Int]
    private var schedule: [Int]
    private var cursor = 0
    // A period of (total weight / gcd) picks is kept while period × live endpoints stays within this budget.
    private let scheduleBudget: Int

    /// A balancer over `endpoints`, all live.
    public init(_ endpoints: [WeightedEndpoint<Endpoint>]) {
        self.init(endpoints, scheduleBudget: 1 << 22)
    }

    init(_ endpoints: [WeightedEndpoint<Endpoint>], scheduleBudget: Int) {
        self.scheduleBudget = scheduleBudget
        self.endpoints = EndpointSet(endpoints)
        self.scores = Array(repeating: 0, count: endpoints.count)
        self.schedule = []
        self.rebuild()
    }

    /// The index of the next endpoint, or `nil` when every endpoint is ejected.
    public mutating func next() -> Int? {
        if !self.schedule.isEmpty {
            let picked = self.schedule[self.cursor]
            self.cursor += 1
            if self.cursor == self.schedule.count { self.cursor = 0 }
            return picked
        }
        return Self.step(&self.scores, self.endpoints)
    }

    /// Ejects or readmits the endpoint at `index`; the sequence restarts over the new live set.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        guard self.endpoints.setEjected(isEjected, at: index) else { return }
        self.rebuild()
    }

    private mutating func rebuild() {
        self.scores = Array(repeating: 0, count: self.endpoints.count)
        self.cursor = 0
        self.schedule = []
        let live = self.endpoints.liveIndices
        guard !live.isEmpty else { return }
        let divisor = live.reduce(0) { Self.gcd($0, self.endpoints.weight(at: $1)) }
        let period = self.endpoints.liveWeight / divisor
        guard period * live.count <= self.scheduleBudget else { return }
        var scores = self.scores
        self.schedule = (0..<period).map { _ in Self.step(&scores, self.endpoints)! }
    }

    private static func step(_ scores: inout [Int], _ endpoints: EndpointSet<Endpoint>) -> Int? {
        var best: Int?
        var total = 0
        for index in endpoints.liveIndices {
            let weight = endpoints.weight(at: index)
            scores[index] += weight
            total += weight
            if best == nil || scores[index] > scores[best!] { best = index }
        }
        if let best { scores[best] -= total }
        return best
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : Self.gcd(b, a % b)
    }
}
