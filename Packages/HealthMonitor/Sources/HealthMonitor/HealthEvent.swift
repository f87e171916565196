/// A change in the health of an endpoint or of the whole set, in the order it happened.
///
/// ```swift
/// for await event in monitor.events {
///     if case .ejected(let endpoint, let until) = event { print("\(endpoint) out until \(until)") }
/// }
/// ```
public enum HealthEvent<Endpoint: Hashable & Sendable, Instant: InstantProtocol>: Sendable, Hashable {
    /// Active checks found the endpoint healthy.
    case healthy(Endpoint)
    /// Active checks found the endpoint unhealthy.
    case unhealthy(Endpoint)
    /// Outlier detection took the endpoint out of service until the given instant.
    case ejected(Endpoint, until: Instant)
    /// An ejection ended and the endpoint is back in service.
    case restored(Endpoint)
    /// Too few endpoints are routable, so traffic goes to all of them.
    case panicEntered
    /// Enough endpoints are routable again.
    case panicLeft
}
