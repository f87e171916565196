/// The endpoints a strategy balances over, with the ejected (unhealthy) ones marked.
///
/// Strategies refer to endpoints by their index in this set, which never changes when an endpoint is ejected
/// or readmitted. Only the live ones, in index order, receive traffic.
///
/// ```swift
/// var set = EndpointSet([WeightedEndpoint("a"), WeightedEndpoint("b")])
/// set.setEjected(true, at: 0)
/// assert(set.liveIndices == [1])
/// ```
public struct EndpointSet<Endpoint: Sendable>: Sendable {
    /// Every endpoint, live or ejected.
    public private(set) var members: [WeightedEndpoint<Endpoint>]

    /// The indices of the endpoints that are not ejected, ascending.
    public private(set) var liveIndices: [Int]

    @usableFromInline var ejected: [Bool]

    /// A set where every endpoint starts live.
    public init(_ members: [WeightedEndpoint<Endpoint>]) {
        self.members = members
        self.ejected = Array(repeating: false, count: members.count)
        self.liveIndices = Array(members.indices)
    }

    /// The number of endpoints, live or ejected.
    public var count: Int { self.members.count }

    /// The endpoint at `index`.
    @inlinable
    public subscript(index: Int) -> Endpoint { self.members[index].endpoint }

    /// The weight of the endpoint at `index`.
    @inlinable
    public func weight(at index: Int) -> Int { self.members[index].weight }

    /// Whether the endpoint at `index` is ejected.
    @inlinable
    public func isEjected(at index: Int) -> Bool { self.ejected[index] }

    /// The sum of the live endpoints' weights.
    public var liveWeight: Int { self.liveIndices.reduce(0) { $0 + self.members[$1].weight } }

    /// Ejects or readmits the endpoint at `index`. Returns whether anything changed.
    @discardableResult
    public mutating func setEjected(_ isEjected: Bool, at index: Int) -> Bool {
        guard self.ejected[index] != isEjected else { return false }
        self.ejected[index] = isEjected
        self.liveIndices = self.members.indices.filter { !self.ejected[$0] }
        return true
    }
}
