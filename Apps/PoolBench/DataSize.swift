/// The value size for `__data__` and SETs: fixed (`--data-size 32`) or uniform in a range (`--data-size 32-1024`).
///
/// ```swift
/// let size = try DataSize(parsing: "64-256")
/// var rng = SplitMix64(seed: 1)
/// let bytes = size.next(using: &rng)   // 64...256
/// ```
struct DataSize: Hashable, Sendable, CustomStringConvertible {
    let range: ClosedRange<Int>

    static let maximum = 512 * 1024 * 1024

    struct InvalidSize: Error, CustomStringConvertible {
        let text: String
        var description: String { "invalid data size '\(self.text)': use N or MIN-MAX bytes" }
    }

    init(_ range: ClosedRange<Int>) {
        self.range = range
    }

    init(parsing text: String) throws(InvalidSize) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let size = Int(parts[0]), (0...Self.maximum).contains(size) else { throw InvalidSize(text: text) }
            self.range = size...size
        case 2:
            guard let low = Int(parts[0]), let high = Int(parts[1]), low >= 0, low <= high, high <= Self.maximum
            else { throw InvalidSize(text: text) }
            self.range = low...high
        default:
            throw InvalidSize(text: text)
        }
    }

    func next(using rng: inout SplitMix64) -> Int {
        guard self.range.lowerBound != self.range.upperBound else { return self.range.lowerBound }
        return self.range.lowerBound + Int(rng.next() % UInt64(self.range.count))
    }

    var description: String {
        self.range.lowerBound == self.range.upperBound
            ? "\(self.range.lowerBound)" : "\(self.range.lowerBound)-\(self.range.upperBound)"
    }
}
