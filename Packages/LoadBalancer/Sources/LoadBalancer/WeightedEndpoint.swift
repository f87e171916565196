/// An endpoint with its weight and the name consistent-hashing strategies hash to place it.
///
/// ```swift
/// let primary = WeightedEndpoint("10.0.0.1:6379", weight: 2)
/// let named = WeightedEndpoint("10.0.0.2:6379", weight: 1, name: "shard-b")
/// assert(primary.name == "10.0.0.1:6379" && named.name == "shard-b")
/// ```
public struct WeightedEndpoint<Endpoint: Sendable>: Sendable {
    /// The endpoint itself: an address, a connection pool, anything.
    public var endpoint: Endpoint

    /// The relative share of traffic, at least 1.
    public var weight: Int

    /// What ketama and maglev hash to place the endpoint; `String(describing: endpoint)` unless given.
    public var name: String

    /// Wraps an endpoint. `weight` must be at least 1.
    public init(_ endpoint: Endpoint, weight: Int = 1, name: String? = nil) {
        precondition(weight >= 1, "an endpoint weight must be at least 1")
        self.endpoint = endpoint
        self.weight = weight
        self.name = name ?? String(describing: endpoint)
    }
}

extension WeightedEndpoint: Equatable where Endpoint: Equatable {}
extension WeightedEndpoint: Hashable where Endpoint: Hashable {}
