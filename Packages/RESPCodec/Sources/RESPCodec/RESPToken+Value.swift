import NIOCore

extension RESPToken {
    /// A token's value, read lazily: payloads are slices, aggregates are sequences of further tokens.
    ///
    /// ```swift
    /// switch token.value {
    /// case .bulkString(let bytes): print(String(buffer: bytes))
    /// case .simpleError(let message): print("error:", String(buffer: message))
    /// default: break
    /// }
    /// ```
    public enum Value: Hashable, Sendable {
        case simpleString(ByteBuffer)
        case simpleError(ByteBuffer)
        case integer(Int64)
        case bulkString(ByteBuffer)
        /// `$-1`, `*-1` and RESP3's `_`; ``RESPToken/base`` tells them apart.
        case null
        case array(Array)
        case boolean(Bool)
        case double(Double)
        case bigNumber(ByteBuffer)
        case bulkError(ByteBuffer)
        /// The payload, including the three-letter format and the colon (`txt:...`).
        case verbatimString(ByteBuffer)
        case map(Map)
        case set(Array)
        /// The attributes, and the token they describe.
        case attribute(Map, RESPToken)
        case push(Array)
    }

    /// Reads the value. The frame was validated when it was parsed, so this cannot fail.
    public var value: Value {
        let base = self.base
        let start = base.readerIndex
        let type = self.typeIdentifier
        let lineEnd = Self.lineEnd(in: base, from: start + 1)
        let line = base.getSlice(at: start + 1, length: lineEnd - start - 1)!
        let bodyStart = lineEnd + 2
        switch type {
        case .simpleString: return .simpleString(line)
        case .simpleError: return .simpleError(line)
        case .integer: return .integer(Self.integer(in: line))
        case .bigNumber: return .bigNumber(line)
        case .null: return .null
        case .boolean: return .boolean(line.getInteger(at: line.readerIndex, as: UInt8.self) == UInt8(ascii: "t"))
        case .double:
            let parsed = line.withUnsafeReadableBytes { RESPParser.parseDouble($0) }
            return .double(parsed ?? .nan)
        case .bulkString, .bulkError, .verbatimString:
            let length = Self.integer(in: line)
            guard length >= 0 else { return .null }
            let payload = base.getSlice(at: bodyStart, length: Int(length))!
            switch type {
            case .bulkString: return .bulkString(payload)
            case .bulkError: return .bulkError(payload)
            default: return .verbatimString(payload)
            }
        case .array, .set, .push, .map, .attribute:
            let count = Self.integer(in: line)
            guard count >= 0 else { return .null }
            let elements = base.getSlice(at: bodyStart, length: base.writerIndex - bodyStart)!
            switch type {
            case .array: return .array(Array(count: Int(count), elements: elements))
            case .set: return .set(Array(count: Int(count), elements: elements))
            case .push: return .push(Array(count: Int(count), elements: elements))
            case .map: return .map(Map(count: Int(count), elements: elements))
            default:
                let attributes = Map(count: Int(count), elements: elements)
                let described = elements.getSlice(
                    at: elements.readerIndex + attributes.byteCount,
                    length: elements.readableBytes - attributes.byteCount
                )!
                return .attribute(attributes, RESPToken(validated: described))
            }
        }
    }

    /// The number of elements of an array, set or push, or of pairs of a map, read from the header alone;
    /// `nil` for other types and for null arrays.
    public var aggregateCount: Int? {
        guard self.typeIdentifier.isAggregate else { return nil }
        let start = self.base.readerIndex
        let lineEnd = Self.lineEnd(in: self.base, from: start + 1)
        let count = Self.integer(in: self.base.getSlice(at: start + 1, length: lineEnd - start - 1)!)
        return count >= 0 ? Int(count) : nil
    }

    // MARK: - Reading validated bytes

    static func lineEnd(in buffer: ByteBuffer, from index: Int) -> Int {
        buffer.withUnsafeReadableBytes { bytes in
            var position = index - buffer.readerIndex
            while bytes[position] != 0x0D { position += 1 }
            return position + buffer.readerIndex
        }
    }

    static func integer(in line: ByteBuffer) -> Int64 {
        line.withUnsafeReadableBytes { RESPParser.parseInteger($0) } ?? 0
    }

    /// The length of the validated element that starts at `offset` of `bytes`.
    static func elementLength(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        var position = offset
        var pending = 1
        while pending > 0 {
            let type = RESPTypeIdentifier(rawValue: bytes[position])!
            var lineEnd = position + 1
            while bytes[lineEnd] != 0x0D { lineEnd += 1 }
            let line = UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<lineEnd])
            position = lineEnd + 2
            pending -= 1
            switch type {
            case .bulkString, .bulkError, .verbatimString:
                let length = Int(RESPParser.parseInteger(line)!)
                if length >= 0 { position += length + 2 }
            case .array, .set, .push:
                pending += max(0, Int(RESPParser.parseInteger(line)!))
            case .map:
                pending += 2 * Int(RESPParser.parseInteger(line)!)
            case .attribute:
                pending += 2 * Int(RESPParser.parseInteger(line)!) + 1
            default:
                break
            }
        }
        return position - offset
    }
}
