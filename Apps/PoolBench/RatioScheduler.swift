/// Interleaves SETs and GETs in a `set:get` ratio as evenly as possible (smooth weighted round robin), so a 1:10
/// ratio sends one SET every eleven requests rather than a burst of SETs first.
///
/// ```swift
/// var ratio = try RatioScheduler(parsing: "1:3")
/// (0..<4).map { _ in ratio.next() }   // [.get, .get, .set, .get] in some even order: exactly one .set
/// ```
struct RatioScheduler: Hashable, Sendable {
    enum Operation: Hashable, Sendable {
        case set
        case get
    }

    let sets: Int
    let gets: Int
    private var setCredit = 0
    private var getCredit = 0

    struct InvalidRatio: Error, CustomStringConvertible {
        let text: String
        var description: String { "invalid ratio '\(self.text)': use set:get, e.g. 1:10 (one side may be 0)" }
    }

    init(sets: Int, gets: Int) {
        precondition(sets >= 0 && gets >= 0 && sets + gets > 0)
        self.sets = sets
        self.gets = gets
    }

    init(parsing text: String) throws(InvalidRatio) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let sets = Int(parts[0]), let gets = Int(parts[1]), sets >= 0, gets >= 0,
            sets + gets > 0
        else { throw InvalidRatio(text: text) }
        self.init(sets: sets, gets: gets)
    }

    mutating func next() -> Operation {
        self.setCredit += self.sets
        self.getCredit += self.gets
        let total = self.sets + self.gets
        if self.setCredit >= self.getCredit {
            self.setCredit -= total
            return .set
        }
        self.getCredit -= total
        return .get
    }

    var description: String { "\(self.sets):\(self.gets)" }
}
