/// The `health_check:` extension: active PING checks against every server of a pool.
///
/// ```yaml
/// health_check:
///   interval: 1000          # milliseconds between checks of a healthy server
///   timeout: 500            # milliseconds a PING may take
///   healthy_threshold: 1    # passing checks that mark a server healthy again
///   unhealthy_threshold: 2  # failing checks that mark it unhealthy
/// ```
public struct HealthCheckSettings: Sendable, Hashable {
    /// Time between checks.
    public var interval: Duration = .seconds(1)
    /// Time a check may take.
    public var timeout: Duration = .milliseconds(500)
    /// Consecutive passing checks that mark an unhealthy server healthy.
    public var healthyThreshold: Int = 1
    /// Consecutive failing checks that mark a healthy server unhealthy.
    public var unhealthyThreshold: Int = 2

    /// Checks with the defaults above.
    public init() {}
}
