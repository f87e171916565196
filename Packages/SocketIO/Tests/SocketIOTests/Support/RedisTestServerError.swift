/// A test fixture could not be set up.
struct RedisTestServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { self.message }
}
