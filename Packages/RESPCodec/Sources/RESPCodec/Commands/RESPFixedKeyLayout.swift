/// The key specs of a command folded into one arithmetic progression, when they all sit at fixed indices and
/// their positions depend only on the argument count (GET, MSET, LMOVE, BITOP, ...).
///
/// Built once per spec; ``RESPCommandSpec/keyRange(argumentCount:)`` then answers without reading arguments.
struct RESPFixedKeyLayout: Sendable, Hashable {
    /// The first key's index; unused when `hasKeys` is false.
    let firstKey: Int
    /// The stride shared by every spec.
    let step: Int
    /// Whether any spec (other than `not_key` ones) exists.
    let hasKeys: Bool

    /// Returns nil when the specs need the argument contents (a keyword, a key count, an unknown spec) or do
    /// not line up into one progression.
    init?(_ specs: [RESPKeySpec]) {
        var firstKey = 0
        var step: Int? = nil
        var previousLast: Int? = nil
        var sawOpenEnded = false
        var hasKeys = false
        for spec in specs where !spec.flags.contains(.notKey) {
            guard case .index(let index) = spec.beginSearch,
                case .range(let lastKey, let specStep, let limit) = spec.findKeys,
                specStep > 0, !sawOpenEnded, !spec.flags.contains(.incomplete)
            else { return nil }
            let isSingleKey = lastKey == 0 && limit == 0
            let ownStep: Int? = isSingleKey ? nil : specStep
            if let previousLast {
                let gap = index - previousLast
                guard gap > 0 else { return nil }
                let merged = step ?? ownStep ?? gap
                guard merged == gap, ownStep == nil || ownStep == merged else { return nil }
                step = merged
            } else {
                firstKey = index
                step = ownStep
            }
            hasKeys = true
            if lastKey >= 0 && limit == 0 {
                let specStepValue = step ?? specStep
                previousLast = index + (lastKey / specStepValue) * specStepValue
            } else {
                sawOpenEnded = true
            }
        }
        self.firstKey = firstKey
        self.step = step ?? 1
        self.hasKeys = hasKeys
    }
}
