/// How Redis finds the keys of the few commands whose key specs are incomplete.
///
/// Redis runs a hand-written procedure for them when the specs cannot answer; these mirror those procedures.
/// The generator refuses to run if a new command needs one that is not listed here.
enum RESPKeyFallback: Sendable, Hashable {
    /// `SORT key ... [STORE destination]`: the sorted key and the last `STORE` destination.
    case sort
    /// `SORT_RO key ...`: only the sorted key.
    case sortReadOnly
    /// `MIGRATE host port key|"" db timeout ... [KEYS key ...]`.
    case migrate
}
