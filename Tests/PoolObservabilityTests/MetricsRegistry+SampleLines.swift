import PoolMetrics

extension MetricsRegistry {
    /// The exposition's sample lines, without `# HELP` and `# TYPE`.
    var sampleLines: Set<String> {
        Set(self.prometheusExposition().split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }
}
