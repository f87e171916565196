/// The strict number forms a configuration accepts: decimal digits only, as twemproxy's `nc_atoi`.
enum NumberSyntax {
    /// Largest value twemproxy keeps in its `int` settings.
    static let maximum = Int(Int32.max)

    /// `[-]digits` as an integer; `nil` for anything else (`1s`, `0x10`, `1_000`, `+5`, overflow).
    static func integer<Text: StringProtocol>(_ text: Text) -> Int? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    /// Whether `text` is `[-]digits`, whatever its size.
    static func isInteger<Text: StringProtocol>(_ text: Text) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        return !digits.isEmpty && digits.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// A TCP port, 1...65535.
    static func port<Text: StringProtocol>(_ text: Text, in entry: String) throws(ConfigurationProblem) -> Int {
        guard !text.isEmpty else { throw ConfigurationProblem("missing port in '\(entry)'") }
        guard isInteger(text) else { throw ConfigurationProblem("invalid port '\(text)' in '\(entry)'") }
        guard let port = Int(text), (1...65535).contains(port) else {
            throw ConfigurationProblem("port \(text) is out of range 1...65535")
        }
        return port
    }
}
