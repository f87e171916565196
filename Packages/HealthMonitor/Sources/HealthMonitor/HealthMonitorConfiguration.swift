/// Everything a health monitor needs to know: active checks, passive outlier detection and the panic threshold.
///
/// ```swift
/// let configuration = HealthMonitorConfiguration(
///     activeChecks: ActiveHealthCheckConfiguration(interval: .seconds(1)),
///     outlierDetection: OutlierDetectionConfiguration(consecutiveFailures: 5),
///     panicThreshold: 50
/// )
/// ```
public struct HealthMonitorConfiguration: Sendable, Hashable {
    /// Active probing; `nil` means endpoints are healthy unless ejected.
    public var activeChecks: ActiveHealthCheckConfiguration?
    /// Passive outlier detection; `nil` means reported outcomes are ignored.
    public var outlierDetection: OutlierDetectionConfiguration?
    /// Below this percentage of routable endpoints the monitor panics and routes to every endpoint;
    /// `0` never panics.
    public var panicThreshold: Double

    /// Creates a configuration.
    public init(
        activeChecks: ActiveHealthCheckConfiguration? = ActiveHealthCheckConfiguration(),
        outlierDetection: OutlierDetectionConfiguration? = OutlierDetectionConfiguration(),
        panicThreshold: Double = 50
    ) {
        precondition((0...100).contains(panicThreshold), "the panic threshold must be in 0...100")
        self.activeChecks = activeChecks
        self.outlierDetection = outlierDetection
        self.panicThreshold = panicThreshold
    }
}
