extension Duration {
    /// Whole nanoseconds, saturating at the bounds of `Int64`.
    var nanosecondsValue: Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product + attoseconds / 1_000_000_000
    }

    var secondsValue: Double { Double(self.nanosecondsValue) / 1e9 }

    var microsecondsValue: Double { Double(self.nanosecondsValue) / 1e3 }
}
