/// twemproxy's `distribution:` setting.
///
/// ```swift
/// assert(TwemproxyDistribution(rawValue: "ketama") == .ketama)
/// ```
public enum TwemproxyDistribution: String, CaseIterable, Hashable, Sendable {
    /// Consistent hashing on a continuum of MD5 points.
    case ketama
    /// The hash modulo the total live weight.
    case modula
    /// A uniformly random live server per request, ignoring the key and the weights.
    case random
}
