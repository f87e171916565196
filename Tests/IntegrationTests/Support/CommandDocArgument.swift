import NIOCore
import RESPCodec

/// One argument of a command as `COMMAND DOCS` describes it (RESP3 reply), kept only as far as generating
/// plausible commands needs.
struct CommandDocArgument {
    var name: String
    var type: String
    var token: String?
    var isOptional: Bool
    var isMultiple: Bool
    var repeatsToken: Bool
    var children: [CommandDocArgument]

    /// Parses the `arguments` array of a command's docs map.
    static func list(from value: RESPValue?) -> [CommandDocArgument] {
        guard case .array(let elements?) = value else { return [] }
        return elements.compactMap(CommandDocArgument.init)
    }

    init?(_ value: RESPValue) {
        guard let fields = value.mapFields, let name = fields["name"]?.text, let type = fields["type"]?.text else {
            return nil
        }
        let flags = fields["flags"]?.texts ?? []
        self.name = name
        self.type = type
        self.token = fields["token"]?.text
        self.isOptional = flags.contains("optional")
        self.isMultiple = flags.contains("multiple")
        self.repeatsToken = flags.contains("multiple_token")
        self.children = Self.list(from: fields["arguments"])
    }
}

extension RESPValue {
    /// The text of a string-like value.
    var text: String? {
        switch self {
        case .simpleString(let bytes), .bulkString(let bytes?), .verbatimString(let bytes):
            String(buffer: bytes)
        default:
            nil
        }
    }

    /// The texts of an array or set of strings.
    var texts: [String] {
        switch self {
        case .array(let elements?), .set(let elements): elements.compactMap(\.text)
        default: []
        }
    }

    /// A map with string keys; RESP2's flat key–value arrays are accepted too.
    var mapFields: [String: RESPValue]? {
        switch self {
        case .map(let entries):
            var fields: [String: RESPValue] = [:]
            for entry in entries {
                if let key = entry.key.text { fields[key] = entry.value }
            }
            return fields
        case .array(let elements?) where elements.count % 2 == 0:
            var fields: [String: RESPValue] = [:]
            for pair in stride(from: 0, to: elements.count, by: 2) {
                if let key = elements[pair].text { fields[key] = elements[pair + 1] }
            }
            return fields
        default:
            return nil
        }
    }
}
