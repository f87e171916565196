import Foundation

/// Time budgets of the integration tests, stretched when the code under test runs slower than usual.
///
/// Under ThreadSanitizer or AddressSanitizer every instruction costs several times more, and a budget sized
/// for a normal build (a failover within 2 s, a reply within 500 ms) measures the sanitizer rather than the
/// code. `Scripts/sanitize` sets `POOL_TEST_TIME_SCALE` (4 by default); only durations stretch, never counts or
/// correctness checks.
///
/// ```swift
/// #expect(elapsed < TestTime.scaled(.seconds(2)))
/// ```
public enum TestTime {
    /// The factor from `POOL_TEST_TIME_SCALE`; 1 when unset or not a number of at least 1.
    public static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["POOL_TEST_TIME_SCALE"], let value = Double(text),
            value >= 1
        else { return 1 }
        return value
    }()

    /// `duration` times ``scale``.
    public static func scaled(_ duration: Duration) -> Duration {
        duration * self.scale
    }

    /// `seconds` times ``scale``, for APIs that take a `TimeInterval`.
    public static func scaled(seconds: Double) -> Double {
        seconds * self.scale
    }
}
