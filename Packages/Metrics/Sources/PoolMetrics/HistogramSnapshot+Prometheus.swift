extension HistogramSnapshot {
    /// Cumulative `_bucket` lines, then `_sum` (seconds) and `_count`.
    func writeExposition(
        name: String,
        labels: String,
        bounds: [(label: String, bound: Duration)],
        into output: inout String
    ) {
        let separator = labels.isEmpty ? "" : ","
        for (label, bound) in bounds {
            output += "\(name)_bucket{\(labels)\(separator)le=\"\(label)\"} \(self.count(atOrBelow: bound))\n"
        }
        output += "\(name)_bucket{\(labels)\(separator)le=\"+Inf\"} \(self.count)\n"
        output +=
            "\(name)_sum\(PrometheusText.braced(labels)) \(PrometheusText.format(PrometheusText.seconds(self.sum)))\n"
        output += "\(name)_count\(PrometheusText.braced(labels)) \(self.count)\n"
    }
}
