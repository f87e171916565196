import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental, zero-copy RESP parser.
///
/// Each call to ``next(_:)`` validates at most one complete frame at the start of `buffer` and, when the frame
/// is complete, consumes it and returns it as a ``RESPToken``: a slice of the original bytes, which can be
/// forwarded unchanged or read lazily. When the frame is not complete yet, nothing is consumed and the parser
/// remembers how far it got, so a large frame arriving in many small reads is scanned once, not once per read.
/// Keep passing the same accumulated buffer (as NIO's decoders do) until a token comes out.
///
/// In ``Mode/request`` mode the parser accepts what Redis accepts from clients: arrays of bulk strings and the
/// inline form (`PING\r\n`, as telnet sends it). Inline commands are returned as the equivalent array, since
/// splitting them cannot be done in place. In ``Mode/reply`` mode it accepts every RESP2 and RESP3 type.
///
/// ```swift
/// var parser = RESPParser(mode: .reply)
/// var buffer = ByteBuffer(string: "+OK\r\n:42\r\n")
/// while let token = try parser.next(&buffer) {
///     print(RESPValue(token))
/// }
/// ```
public struct RESPParser: Sendable {
    /// Which side of the conversation the bytes come from.
    public enum Mode: Sendable, Hashable {
        /// Commands from a client: arrays of bulk strings, or inline commands.
        case request
        /// Replies from a server: any RESP2 or RESP3 value.
        case reply
    }

    /// Which side of the conversation the bytes come from.
    public let mode: Mode
    /// The limits enforced on every frame.
    public let limits: Limits

    /// Bytes of the frame in progress that are validated already, counted from the buffer's reader index.
    private var validatedLength = 0
    /// When not negative, `validatedLength` points at a blob payload of this many bytes (plus CRLF).
    private var pendingBlobLength = -1
    private var pendingBlobIsVerbatim = false
    /// How far a search for the end of an incomplete line got, so the next read does not search again.
    private var lineSearchedUpTo = 0
    /// The number of elements still missing from the innermost open aggregate; zero when none is open.
    private var innermostRemaining = 0
    /// The same for the aggregates around the innermost one, outermost first. Most frames nest one level
    /// deep and never touch this array.
    private var enclosingRemaining: [Int] = []

    /// Creates a parser.
    public init(mode: Mode, limits: Limits = Limits()) {
        self.mode = mode
        self.limits = limits
    }

    /// Consumes and returns the next complete frame, or returns `nil` and consumes nothing when more bytes are
    /// needed.
    ///
    /// In request mode, empty inline lines and empty arrays are skipped, as Redis skips them.
    /// - Throws: ``RESPParsingError`` on malformed input or a broken limit. The stream cannot be resumed after
    ///   an error.
    public mutating func next(_ buffer: inout ByteBuffer) throws(RESPParsingError) -> RESPToken? {
        // Waiting for the rest of a payload, or for the end of a line: answer without touching the bytes.
        if self.pendingBlobLength >= 0 && buffer.readableBytes < self.validatedLength + self.pendingBlobLength + 2 {
            return nil
        }
        if self.lineSearchedUpTo > 0 && buffer.readableBytes <= self.lineSearchedUpTo {
            return nil
        }
        while true {
            let outcome = buffer.withUnsafeReadableBytes { bytes in self.scan(bytes) }
            switch outcome {
            case .needMoreData:
                return nil
            case .frame(let length):
                self.reset()
                return RESPToken(validated: buffer.readSlice(length: length)!)
            case .skip(let length):
                self.reset()
                buffer.moveReaderIndex(forwardBy: length)
            case .inline(let lineLength, let contentLength):
                self.reset()
                let line = buffer.readSlice(length: lineLength)!
                guard let token = try Self.inlineCommand(line.getSlice(at: line.readerIndex, length: contentLength)!)
                else { continue }
                return token
            case .failure(let error):
                self.reset()
                throw error
            }
        }
    }

    private mutating func reset() {
        self.validatedLength = 0
        self.pendingBlobLength = -1
        self.pendingBlobIsVerbatim = false
        self.lineSearchedUpTo = 0
        self.innermostRemaining = 0
        if !self.enclosingRemaining.isEmpty {
            self.enclosingRemaining.removeAll(keepingCapacity: true)
        }
    }

    // MARK: - Scanning

    enum ScanOutcome {
        case needMoreData
        case frame(length: Int)
        case skip(length: Int)
        case inline(lineLength: Int, contentLength: Int)
        case failure(RESPParsingError)
    }

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    private mutating func scan(_ bytes: UnsafeRawBufferPointer) -> ScanOutcome {
        let count = bytes.count
        var offset = self.validatedLength
        if offset == 0 && self.pendingBlobLength < 0 && self.innermostRemaining == 0 {
            guard count > 0 else { return .needMoreData }
            if self.mode == .request && bytes[0] != RESPTypeIdentifier.array.rawValue {
                return self.scanInline(bytes)
            }
        }
        while true {
            if self.pendingBlobLength >= 0 {
                let end = offset + self.pendingBlobLength
                guard end + 2 <= count else {
                    self.validatedLength = offset
                    return .needMoreData
                }
                guard bytes[end] == Self.cr && bytes[end + 1] == Self.lf else {
                    return .failure(RESPParsingError(.missingCRLF))
                }
                if self.pendingBlobIsVerbatim
                    && (self.pendingBlobLength < 4 || bytes[offset + 3] != UInt8(ascii: ":"))
                {
                    return .failure(RESPParsingError(.invalidValue(.verbatimString)))
                }
                self.pendingBlobLength = -1
                self.pendingBlobIsVerbatim = false
                offset = end + 2
            } else {
                guard offset < count else {
                    self.validatedLength = offset
                    return .needMoreData
                }
                let typeByte = bytes[offset]
                let inAggregate = self.innermostRemaining > 0
                if self.mode == .request && inAggregate && typeByte != RESPTypeIdentifier.bulkString.rawValue {
                    return .failure(RESPParsingError(.unexpectedRequestElement(typeByte)))
                }
                // Request elements are all bulk strings: skip the general type lookup for them.
                guard
                    let type = typeByte == RESPTypeIdentifier.bulkString.rawValue
                        ? .bulkString : RESPTypeIdentifier(rawValue: typeByte)
                else {
                    return .failure(RESPParsingError(.unknownType(typeByte)))
                }
                // Find the CR that ends the header line, resuming where an earlier read stopped.
                let searchFrom = max(offset + 1, self.lineSearchedUpTo)
                let lineEnd: Int
                if let found = Self.firstCR(in: bytes, from: searchFrom) {
                    lineEnd = found
                } else {
                    if count - offset > self.lineLimit(for: type) {
                        return .failure(RESPParsingError(self.lineTooLongError(for: type)))
                    }
                    self.lineSearchedUpTo = count
                    self.validatedLength = offset
                    return .needMoreData
                }
                // Every limit is at least this long in practice; look the real one up only for long lines.
                if lineEnd - offset > 64, lineEnd - offset > self.lineLimit(for: type) {
                    return .failure(RESPParsingError(self.lineTooLongError(for: type)))
                }
                guard lineEnd + 1 < count else {
                    self.lineSearchedUpTo = lineEnd
                    self.validatedLength = offset
                    return .needMoreData
                }
                guard bytes[lineEnd + 1] == Self.lf else { return .failure(RESPParsingError(.missingCRLF)) }
                self.lineSearchedUpTo = 0
                let line = UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<lineEnd])
                offset = lineEnd + 2

                switch type {
                case .bulkString, .bulkError, .verbatimString:
                    guard let length = Self.parseInteger(line),
                        length <= Int64(self.limits.maximumBulkLength),
                        length >= 0 || (length == -1 && type == .bulkString && self.mode == .reply)
                    else { return .failure(RESPParsingError(.invalidBulkLength)) }
                    if length >= 0 {
                        self.pendingBlobLength = Int(length)
                        self.pendingBlobIsVerbatim = type == .verbatimString
                        continue
                    }
                case .array, .set, .push, .map, .attribute:
                    guard let elementCount = Self.parseInteger(line),
                        elementCount <= Int64(self.limits.maximumAggregateCount),
                        elementCount >= 0 || (elementCount == -1 && type == .array)
                    else { return .failure(RESPParsingError(.invalidAggregateCount)) }
                    if self.mode == .request && elementCount <= 0 {
                        // Redis ignores `*0` and `*-1` from clients.
                        return .skip(length: offset)
                    }
                    if elementCount > 0 || type == .attribute {
                        let depth = self.enclosingRemaining.count + (self.innermostRemaining > 0 ? 1 : 0)
                        guard depth < self.limits.maximumNestingDepth else {
                            return .failure(RESPParsingError(.nestingTooDeep))
                        }
                        let pairs = type == .map || type == .attribute
                        // An attribute is followed by the value it describes, which completes it.
                        let expected = Int(elementCount) * (pairs ? 2 : 1) + (type == .attribute ? 1 : 0)
                        if self.innermostRemaining > 0 {
                            self.enclosingRemaining.append(self.innermostRemaining)
                        }
                        self.innermostRemaining = expected
                        continue
                    }
                case .simpleString, .simpleError:
                    break
                case .integer:
                    guard Self.parseInteger(line) != nil else {
                        return .failure(RESPParsingError(.invalidValue(.integer)))
                    }
                case .null:
                    guard line.isEmpty else { return .failure(RESPParsingError(.invalidValue(.null))) }
                case .boolean:
                    guard line.count == 1, line[0] == UInt8(ascii: "t") || line[0] == UInt8(ascii: "f") else {
                        return .failure(RESPParsingError(.invalidValue(.boolean)))
                    }
                case .double:
                    guard Self.parseDouble(line) != nil else {
                        return .failure(RESPParsingError(.invalidValue(.double)))
                    }
                case .bigNumber:
                    guard Self.isBigNumber(line) else { return .failure(RESPParsingError(.invalidValue(.bigNumber))) }
                }
            }
            // One element is complete: close every aggregate it completes.
            while true {
                if self.innermostRemaining == 0 { return .frame(length: offset) }
                self.innermostRemaining -= 1
                if self.innermostRemaining > 0 { break }
                guard let enclosing = self.enclosingRemaining.popLast() else { return .frame(length: offset) }
                self.innermostRemaining = enclosing
            }
        }
    }

    /// The index of the first CR at or after `start`. Header lines are a few bytes long, so a plain loop
    /// finds most of them before a call to `memchr` would have paid off.
    @inline(__always)
    private static func firstCR(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = bytes.count
        var index = start
        let shortEnd = min(count, start &+ 24)
        while index < shortEnd {
            if bytes[index] == Self.cr { return index }
            index &+= 1
        }
        guard index < count, let found = memchr(bytes.baseAddress! + index, Int32(Self.cr), count - index) else {
            return nil
        }
        return bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
    }

    private func lineLimit(for type: RESPTypeIdentifier) -> Int {
        // Redis bounds a request's header lines by the inline limit; a reply's simple strings can be longer.
        switch self.mode {
        case .request: self.limits.maximumInlineLength
        case .reply: type.isAggregate || type.isBlob ? self.limits.maximumInlineLength : self.limits.maximumBulkLength
        }
    }

    private func lineTooLongError(for type: RESPTypeIdentifier) -> RESPParsingError.Code {
        type.isAggregate ? .aggregateHeaderTooBig : .bulkHeaderTooBig
    }

    private mutating func scanInline(_ bytes: UnsafeRawBufferPointer) -> ScanOutcome {
        let count = bytes.count
        let searchFrom = self.lineSearchedUpTo
        guard searchFrom < count,
            let found = memchr(bytes.baseAddress! + searchFrom, Int32(Self.lf), count - searchFrom)
        else {
            if count > self.limits.maximumInlineLength {
                return .failure(RESPParsingError(.inlineRequestTooBig))
            }
            self.lineSearchedUpTo = count
            return .needMoreData
        }
        let newline = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
        guard newline <= self.limits.maximumInlineLength else {
            return .failure(RESPParsingError(.inlineRequestTooBig))
        }
        let contentLength = newline > 0 && bytes[newline - 1] == Self.cr ? newline - 1 : newline
        return .inline(lineLength: newline + 1, contentLength: contentLength)
    }

    // MARK: - Line values

    /// Parses a decimal `Int64` the way Redis's `string2ll` does: an optional `-`, digits, no leading `+`,
    /// no spaces, no overflow.
    @inline(__always)
    static func parseInteger(_ line: UnsafeRawBufferPointer) -> Int64? {
        let count = line.count
        // Lengths and counts are short and positive: up to 18 digits cannot overflow.
        if count > 0 && count <= 18 && line[0] != UInt8(ascii: "-") {
            var value: Int64 = 0
            for byte in line {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value &* 10 &+ Int64(digit)
            }
            return value
        }
        return Self.parseIntegerSlowPath(line)
    }

    static func parseIntegerSlowPath(_ line: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let count = line.count
        guard count > 0, count <= 20 else { return nil }
        let negative = line[0] == UInt8(ascii: "-")
        if negative {
            index = 1
            guard count > 1 else { return nil }
        }
        var value: UInt64 = 0
        while index < count {
            let digit = line[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = added
            index += 1
        }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }

    static func parseDouble(_ line: UnsafeRawBufferPointer) -> Double? {
        guard !line.isEmpty, line.count <= 512 else { return nil }
        for byte in line {
            // Digits, sign, point, exponent, and the letters of inf/nan; Double(String) does the rest.
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f"),
                UInt8(ascii: "a"):
                continue
            default:
                return nil
            }
        }
        let text = String(decoding: line, as: UTF8.self)
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            guard text.first != "i", text.first != "n", let value = Double(text), value.isFinite else { return nil }
            return value
        }
    }

    static func isBigNumber(_ line: UnsafeRawBufferPointer) -> Bool {
        var digits = line[...]
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        return !digits.isEmpty && digits.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }
}
