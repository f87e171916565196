import Foundation

/// A latency-by-percentile chart as plain SVG text: x is 1/(1-percentile) on a log scale (so 90 %, 99 %, 99.9 % are
/// evenly spaced, as in HdrHistogram's plotter), y is latency in milliseconds; one line per series.
///
/// ```swift
/// let svg = LatencyPlot.svg(title: "GET", series: [.init(label: "redis", points: points)])
/// ```
enum LatencyPlot {
    struct Series: Sendable {
        var label: String
        /// (percentile 0...100, latency in microseconds), ascending by percentile.
        var points: [(percentile: Double, microseconds: Double)]
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// Plot points of an HDR distribution, stopping short of 100 % (infinite on this axis).
    static func points(
        _ distribution: [HdrPercentileDistribution.Point]
    ) -> [(percentile: Double, microseconds: Double)] {
        distribution.filter { $0.percentile < 100 }.map { ($0.percentile, Double($0.value)) }
    }

    static func svg(title: String, series: [Series], width: Int = 800, height: Int = 480) -> String {
        let left = 70.0
        let right = 20.0
        let top = 40.0
        let bottom = 60.0
        let plotWidth = Double(width) - left - right
        let plotHeight = Double(height) - top - bottom
        let allPoints = series.flatMap(\.points)
        let maxX = max(100.0, allPoints.map { Self.x(percentile: $0.percentile) }.max() ?? 100)
        let decades = max(2, Int(log10(maxX).rounded(.up)))
        let maxY = Self.niceCeiling((allPoints.map(\.microseconds).max() ?? 1) / 1000 * 1.05)

        func px(_ percentile: Double) -> Double {
            left + log10(Self.x(percentile: percentile)) / Double(decades) * plotWidth
        }
        func py(_ microseconds: Double) -> Double { top + plotHeight - microseconds / 1000 / maxY * plotHeight }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(Self.escape(title))</text>

            """
        // Vertical grid: one line per decade of 1/(1-p): 0 %, 90 %, 99 %, ...
        for decade in 0...decades {
            let x = left + Double(decade) / Double(decades) * plotWidth
            let label = Self.percentileLabel(decade)
            svg += Self.line(x, top, x, top + plotHeight, stroke: "#dddddd")
            svg +=
                "<text x=\"\(Self.f(x))\" y=\"\(Self.f(top + plotHeight + 18))\" text-anchor=\"middle\">"
                + "\(label)</text>\n"
        }
        for step in 0...5 {
            let value = maxY * Double(step) / 5
            let y = top + plotHeight - Double(step) / 5 * plotHeight
            svg += Self.line(left, y, left + plotWidth, y, stroke: "#dddddd")
            svg +=
                "<text x=\"\(Self.f(left - 6))\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\">"
                + "\(Self.trim(value))</text>\n"
        }
        svg += Self.line(left, top + plotHeight, left + plotWidth, top + plotHeight, stroke: "black")
        svg += Self.line(left, top, left, top + plotHeight, stroke: "black")
        svg +=
            "<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(height - 20)\" text-anchor=\"middle\">"
            + "Percentile</text>\n"
        svg += "<text transform=\"translate(18 \(Self.f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">"
        svg += "Latency (ms)</text>\n"

        for (index, entry) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let coordinates = entry.points.map { "\(Self.f(px($0.percentile))),\(Self.f(py($0.microseconds)))" }
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" "
            svg += "points=\"\(coordinates.joined(separator: " "))\"/>\n"
            let legendY = top + 8 + Double(index) * 18
            svg += Self.line(left + 12, legendY, left + 36, legendY, stroke: color, width: 3)
            svg += "<text x=\"\(Self.f(left + 42))\" y=\"\(Self.f(legendY + 4))\">\(Self.escape(entry.label))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// 1 / (1 - p), capped so that 100 % stays finite.
    static func x(percentile: Double) -> Double {
        1 / max(1 - percentile / 100, 1e-9)
    }

    /// The percentile at 10^decade on the axis: 1 → 90%, 2 → 99%, 3 → 99.9%, ...
    static func percentileLabel(_ decade: Int) -> String {
        switch decade {
        case 0: "0%"
        case 1: "90%"
        case 2: "99%"
        default: "99." + String(repeating: "9", count: decade - 2) + "%"
        }
    }

    private static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, log10(value).rounded(.down))
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    private static func line(
        _ x1: Double,
        _ y1: Double,
        _ x2: Double,
        _ y2: Double,
        stroke: String,
        width: Double = 1
    ) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(Self.trim(width))\"/>\n"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
