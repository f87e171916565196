internal import Yams

extension Node {
    /// A plain empty value: `key:`, `key: ~`, `key: null`.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The value's text when it is a scalar that is not null.
    var text: String? {
        guard case .scalar(let scalar) = self, !self.isNull else { return nil }
        return scalar.string
    }

    /// How an error message names what was found.
    var found: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): self.isNull ? "nothing" : "'\(scalar.string)'"
        }
    }
}
