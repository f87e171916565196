/// The proxy could not start: a pool's or the admin port's address could not be bound.
struct ProxyStartError: Error, CustomStringConvertible {
    let description: String
}
