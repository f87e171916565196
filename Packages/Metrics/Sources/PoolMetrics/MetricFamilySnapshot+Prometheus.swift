extension MetricFamilySnapshot {
    /// `# HELP`, `# TYPE` and every sample line in the text format 0.0.4.
    func writePrometheus(into output: inout String) {
        output += "# HELP \(self.name) \(PrometheusText.escapeHelp(self.help))\n"
        output += "# TYPE \(self.name) \(self.type.rawValue)\n"
        let bounds = self.buckets.map { (label: PrometheusText.format($0), bound: Duration.seconds($0)) }
        for series in self.series {
            let labels = PrometheusText.labelPairs(names: self.labelNames, values: series.labelValues)
            switch series.value {
            case .counter(let count):
                output += "\(self.name)\(PrometheusText.braced(labels)) \(count)\n"
            case .gauge(let value):
                output += "\(self.name)\(PrometheusText.braced(labels)) \(value)\n"
            case .histogram(let snapshot):
                snapshot.writeExposition(name: self.name, labels: labels, bounds: bounds, into: &output)
            }
        }
    }
}
