import NIOCore

extension RESPValue {
    /// Decodes a token fully into an owned value.
    ///
    /// ```swift
    /// let value = RESPValue(token)
    /// ```
    public init(_ token: RESPToken) {
        switch token.value {
        case .simpleString(let text): self = .simpleString(text)
        case .simpleError(let text): self = .simpleError(text)
        case .integer(let number): self = .integer(number)
        case .bulkString(let bytes): self = .bulkString(bytes)
        case .null:
            switch token.typeIdentifier {
            case .bulkString: self = .bulkString(nil)
            case .array: self = .array(nil)
            default: self = .null
            }
        case .array(let elements): self = .array(elements.map(RESPValue.init))
        case .boolean(let flag): self = .boolean(flag)
        case .double(let number): self = .double(number)
        case .bigNumber(let digits): self = .bigNumber(digits)
        case .bulkError(let bytes): self = .bulkError(bytes)
        case .verbatimString(let bytes): self = .verbatimString(bytes)
        case .map(let pairs): self = .map(pairs.map { MapEntry(key: RESPValue($0.key), value: RESPValue($0.value)) })
        case .set(let elements): self = .set(elements.map(RESPValue.init))
        case .attribute(let pairs, let described):
            self = .attribute(
                pairs.map { MapEntry(key: RESPValue($0.key), value: RESPValue($0.value)) },
                RESPValue(described)
            )
        case .push(let elements): self = .push(elements.map(RESPValue.init))
        }
    }
}
