/// The states a circuit breaker moves through.
///
/// `closed` lets every call through and watches the failure rate; `open` refuses calls until the open
/// duration ends; `halfOpen` lets a bounded number of trial calls through. `forcedOpen` and `disabled` are
/// operator overrides that refuse or permit everything and never change state on their own (a disabled breaker
/// still counts its calls, but judges none).
///
/// ```swift
/// let state = CircuitBreakerState.halfOpen
/// assert(state.permitsCalls == .some)
/// ```
public enum CircuitBreakerState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case closed
    case open
    case halfOpen = "half_open"
    case forcedOpen = "forced_open"
    case disabled

    /// How many calls a breaker in this state lets through.
    public enum Permission: Sendable, Hashable {
        case all
        case some
        case none
    }

    /// How many calls a breaker in this state lets through.
    public var permitsCalls: Permission {
        switch self {
        case .closed, .disabled: .all
        case .halfOpen: .some
        case .open, .forcedOpen: .none
        }
    }

    /// The label used in metrics, such as `breaker_state{state="half_open"}`.
    public var description: String { self.rawValue }
}
