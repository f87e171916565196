/// How keys are drawn from `--key-min ... --key-max`, named as memtier_benchmark names them.
///
/// ```swift
/// let pattern = try KeyPattern(parsing: "Z:1.2")   // .zipf(exponent: 1.2)
/// ```
enum KeyPattern: Hashable, Sendable, CustomStringConvertible {
    /// `R`: every key equally likely.
    case uniform
    /// `S`: each connection walks the range in order from its own starting offset, wrapping around.
    case sequential
    /// `G`: normal around the middle of the range (or `median`), clamped to it.
    case gaussian(median: Double?, standardDeviation: Double?)
    /// `Z`: rank `k` (from the low end) has probability proportional to `1 / k^exponent`.
    case zipf(exponent: Double)

    static let defaultZipfExponent = 0.99

    struct InvalidPattern: Error, CustomStringConvertible {
        let text: String
        var description: String { "invalid key pattern '\(self.text)': use R, S, G or Z (optionally Z:exponent)" }
    }

    init(parsing text: String) throws(InvalidPattern) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first?.uppercased() {
        case "R" where parts.count == 1: self = .uniform
        case "S" where parts.count == 1: self = .sequential
        case "G" where parts.count == 1: self = .gaussian(median: nil, standardDeviation: nil)
        case "Z":
            guard parts.count == 2 else {
                self = .zipf(exponent: Self.defaultZipfExponent)
                return
            }
            guard let exponent = Double(parts[1]), exponent > 0, exponent.isFinite else {
                throw InvalidPattern(text: text)
            }
            self = .zipf(exponent: exponent)
        default: throw InvalidPattern(text: text)
        }
    }

    var description: String {
        switch self {
        case .uniform: "R"
        case .sequential: "S"
        case .gaussian: "G"
        case .zipf(let exponent): "Z:\(exponent)"
        }
    }
}
