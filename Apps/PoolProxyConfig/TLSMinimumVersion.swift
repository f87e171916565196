/// The oldest TLS version a listener accepts: `"1.2"` (the default) or `"1.3"`. Older versions are never
/// accepted.
public enum TLSMinimumVersion: String, Sendable, Hashable, CaseIterable {
    case v1_2 = "1.2"
    case v1_3 = "1.3"
}
