/// A reason without a location yet; the decoder adds the file, key path and line.
struct ConfigurationProblem: Error, Sendable {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
