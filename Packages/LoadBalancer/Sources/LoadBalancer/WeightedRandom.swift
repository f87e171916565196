/// Weighted random choice: each live endpoint is picked with probability weight / total live weight.
///
/// A pick is one random number and a binary search over cumulative weights.
///
/// ```swift
/// let balancer = WeightedRandom([WeightedEndpoint("a", weight: 3), WeightedEndpoint("b")])
/// var generator = SplitMix64(seed: 1)
/// let index = balancer.pick(using: &generator)   // 0 three times in four, on average
/// ```
public struct WeightedRandom<Endpoint: Sendable>: Sendable {
    /// The endpoints, with their weights and ejection marks.
    public private(set) var endpoints: EndpointSet<Endpoint>

    @usableFromInline var cumulativeWeights: [Int] = []
    @usableFromInline var liveIndices: [Int] = []

    /// A balancer over `endpoints`, all live.
    public init(_ endpoints: [WeightedEndpoint<Endpoint>]) {
        self.endpoints = EndpointSet(endpoints)
        self.rebuild()
    }

    /// A random live endpoint's index drawn from `generator`, or `nil` when every endpoint is ejected.
    @inlinable
    public func pick<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Int? {
        guard let total = self.cumulativeWeights.last else { return nil }
        let target = Int.random(in: 0..<total, using: &generator)
        var low = 0
        var high = self.cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulativeWeights[middle] > target { high = middle } else { low = middle + 1 }
        }
        return self.liveIndices[low]
    }

    /// A random live endpoint's index from the system generator.
    public func pick() -> Int? {
        var generator = SystemRandomNumberGenerator()
        return self.pick(using: &generator)
    }

    /// Ejects or readmits the endpoint at `index`.
    public mutating func setEjected(_ isEjected: Bool, at index: Int) {
        guard self.endpoints.setEjected(isEjected, at: index) else { return }
        self.rebuild()
    }

    private mutating func rebuild() {
        self.liveIndices = self.endpoints.liveIndices
        var running = 0
        self.cumulativeWeights = self.liveIndices.map { index in
            running += self.endpoints.weight(at: index)
            return running
        }
    }
}
