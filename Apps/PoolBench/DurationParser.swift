/// Parses human durations such as `30s`, `500ms`, `2m`, `1h`, `250us` and `1.5s`.
///
/// ```swift
/// let run = try DurationParser.parse("30s")     // .seconds(30)
/// let tick = try DurationParser.parse("500ms")  // .milliseconds(500)
/// ```
enum DurationParser {
    struct InvalidDuration: Error, CustomStringConvertible {
        let text: String
        var description: String { "invalid duration '\(self.text)': use a number and a unit, e.g. 30s, 500ms, 2m" }
    }

    private static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    static func parse(_ text: String) throws(InvalidDuration) -> Duration {
        let trimmed = text.trimmingWhitespace()
        // Longest suffix first, so that "ms" wins over "s" and "m".
        for unit in Self.units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard let value = Double(number), value >= 0, value.isFinite else { throw InvalidDuration(text: text) }
            return .nanoseconds(Int64((value * unit.nanoseconds).rounded()))
        }
        // A bare number is seconds, as in redis-benchmark's and memtier's --test-time.
        guard let seconds = Double(trimmed), seconds >= 0, seconds.isFinite else { throw InvalidDuration(text: text) }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
