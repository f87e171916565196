/// Spelling rules of the Prometheus text exposition format 0.0.4.
enum PrometheusText {
    static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !Self.isDigit(first) else { return false }
        return name.utf8.allSatisfy { Self.isLetterOrUnderscore($0) || Self.isDigit($0) || $0 == UInt8(ascii: ":") }
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !Self.isDigit(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { Self.isLetterOrUnderscore($0) || Self.isDigit($0) }
    }

    static func escapeHelp(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"": escaped += "\\\""
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `name="value",...` without braces, values escaped.
    static func labelPairs(names: [String], values: [String]) -> String {
        zip(names, values).map { "\($0)=\"\(Self.escapeLabelValue($1))\"" }.joined(separator: ",")
    }

    /// `{pairs}`, or nothing when there are no pairs.
    static func braced(_ pairs: String) -> String {
        pairs.isEmpty ? "" : "{\(pairs)}"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLetterOrUnderscore(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }
}
