/// Whether requests may go to a node, from its health events: pure logic for the hot path's one flag.
///
/// A node is routable until active checks find it unhealthy or outlier detection ejects it, and again once
/// checks find it healthy and any ejection has ended. A node without a verdict yet (just started) is routable:
/// warming already proved or disproved it, and its requests fail fast through the pool and breaker anyway.
///
/// ```swift
/// var availability = NodeAvailability()
/// availability.apply(.unhealthy)   // isRoutable == false
/// availability.apply(.healthy)     // isRoutable == true
/// ```
public struct NodeAvailability: Sendable, Hashable {
    /// A health change of one node.
    public enum Change: Sendable, Hashable {
        /// Active checks passed.
        case healthy
        /// Active checks failed.
        case unhealthy
        /// Outlier detection took the node out.
        case ejected
        /// The ejection ended.
        case restored
    }

    /// The last active-check verdict; `nil` before the first.
    public private(set) var activeVerdict: Bool?
    /// Whether outlier detection holds the node out.
    public private(set) var isEjected = false

    /// A node with no verdict, not ejected.
    public init() {}

    /// Applies a change and returns whether routability changed.
    @discardableResult
    public mutating func apply(_ change: Change) -> Bool {
        let before = self.isRoutable
        switch change {
        case .healthy: self.activeVerdict = true
        case .unhealthy: self.activeVerdict = false
        case .ejected: self.isEjected = true
        case .restored: self.isEjected = false
        }
        return before != self.isRoutable
    }

    /// Whether requests may go to the node.
    public var isRoutable: Bool { self.activeVerdict != false && !self.isEjected }

    /// Why requests may not go to the node, or `nil` when they may.
    public var refusal: String? {
        if self.isEjected { return "ejected after consecutive failures" }
        if self.activeVerdict == false { return "failing health checks" }
        return nil
    }
}
