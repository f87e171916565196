/// Writes JSON with twemproxy's spacing: `"key":value, ` after a value, `"key": {` to open an object, and only a
/// `,` between an object and what follows it.
struct TwemproxyJSONWriter {
    private var output = ""

    mutating func beginDocument() {
        self.output = "{"
    }

    mutating func field(_ key: String, _ value: String) {
        self.output += "\"\(Self.escape(key))\":\"\(Self.escape(value))\", "
    }

    mutating func field(_ key: String, _ value: some BinaryInteger) {
        self.output += "\"\(Self.escape(key))\":\(value), "
    }

    mutating func beginObject(_ key: String) {
        self.output += "\"\(Self.escape(key))\": {"
    }

    mutating func endObject() {
        self.trimSeparator()
        self.output += "},"
    }

    mutating func endDocument() -> String {
        self.trimSeparator()
        self.output += "}\n"
        return self.output
    }

    private mutating func trimSeparator() {
        if self.output.hasSuffix(", ") {
            self.output.removeLast(2)
        } else if self.output.hasSuffix(",") {
            self.output.removeLast()
        }
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case _ where scalar.value < 0x20:
                escaped += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
