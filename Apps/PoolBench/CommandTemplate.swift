/// A command line with `__key__` and `__data__` placeholders, split into arguments once. ``RequestEncoder`` compiles
/// it to encode one RESP array per request without building strings.
///
/// ```swift
/// let template = try CommandTemplate(parsing: "HSET user:__key__ name __data__")
/// let encoder = RequestEncoder(template: template, keyPrefix: "key:")
/// var buffer = ByteBufferAllocator().buffer(capacity: 64)
/// Array("xyz".utf8).withUnsafeBytes { encoder.write(key: 42, data: $0, into: &buffer) }
/// // *4\r\n$4\r\nHSET\r\n$11\r\nuser:key:42\r\n$4\r\nname\r\n$3\r\nxyz\r\n
/// ```
struct CommandTemplate: Hashable, Sendable, CustomStringConvertible {
    enum Segment: Hashable, Sendable {
        case literal([UInt8])
        case key
        case data
    }

    /// One argument: literal text with placeholders spliced in.
    struct Argument: Hashable, Sendable {
        var segments: [Segment]
    }

    let arguments: [Argument]
    let text: String

    struct InvalidTemplate: Error, CustomStringConvertible {
        let description: String
    }

    static let keyPlaceholder = "__key__"
    static let dataPlaceholder = "__data__"

    /// Splits on spaces; double or single quotes keep spaces inside one argument.
    init(parsing text: String) throws(InvalidTemplate) {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { throw InvalidTemplate(description: "unterminated quote in command '\(text)'") }
        if inWord { words.append(current) }
        guard !words.isEmpty else { throw InvalidTemplate(description: "empty command template") }
        self.text = text
        self.arguments = words.map { Argument(segments: Self.segments(of: $0)) }
    }

    private static func segments(of word: String) -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(word)
        while !rest.isEmpty {
            let key = rest.range(of: Self.keyPlaceholder)
            let data = rest.range(of: Self.dataPlaceholder)
            let next = [key.map { ($0, Segment.key) }, data.map { ($0, Segment.data) }].compactMap { $0 }
                .min { $0.0.lowerBound < $1.0.lowerBound }
            guard let (range, placeholder) = next else {
                segments.append(.literal(Array(rest.utf8)))
                break
            }
            if range.lowerBound > rest.startIndex {
                segments.append(.literal(Array(rest[rest.startIndex..<range.lowerBound].utf8)))
            }
            segments.append(placeholder)
            rest = rest[range.upperBound...]
        }
        if segments.isEmpty { segments.append(.literal([])) }
        return segments
    }

    /// The command name, upper-cased, for the per-command report rows.
    var name: String {
        guard case .literal(let bytes) = self.arguments[0].segments.first, self.arguments[0].segments.count == 1 else {
            return "CUSTOM"
        }
        return String(decoding: bytes, as: UTF8.self).uppercased()
    }

    var usesData: Bool { self.arguments.contains { $0.segments.contains(.data) } }

    var description: String { self.text }
}
