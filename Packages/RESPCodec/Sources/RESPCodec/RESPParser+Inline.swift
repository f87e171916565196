import NIOCore

extension RESPParser {
    /// Splits an inline command line the way Redis's `sdssplitargs` does and returns it as an array of bulk
    /// strings, or `nil` for a blank line.
    ///
    /// Arguments are separated by white space. `"double quotes"` understand `\n`, `\r`, `\t`, `\b`, `\a`,
    /// `\xHH` and `\<any>`; `'single quotes'` understand only `\'`. A closing quote must be followed by white
    /// space or the end of the line.
    static func inlineCommand(_ line: ByteBuffer) throws(RESPParsingError) -> RESPToken? {
        var arguments: [[UInt8]] = []
        var result: Result<Void, RESPParsingError> = .success(())
        line.withUnsafeReadableBytes { bytes in
            result = Self.splitArguments(bytes, into: &arguments)
        }
        try result.get()
        guard !arguments.isEmpty else { return nil }
        var encoded = ByteBuffer()
        encoded.reserveCapacity(line.readableBytes + 16 * arguments.count)
        encoded.writeRESPArrayHeader(count: arguments.count)
        for argument in arguments {
            encoded.writeRESPBulkString(argument)
        }
        return RESPToken(validated: encoded)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func splitArguments(
        _ bytes: UnsafeRawBufferPointer,
        into arguments: inout [[UInt8]]
    ) -> Result<Void, RESPParsingError> {
        let count = bytes.count
        var index = 0
        while true {
            while index < count && Self.isSpace(bytes[index]) { index += 1 }
            guard index < count else { return .success(()) }
            var current: [UInt8] = []
            var inDoubleQuotes = false
            var inSingleQuotes = false
            var done = false
            while !done {
                if inDoubleQuotes {
                    guard index < count else { return .failure(RESPParsingError(.unbalancedQuotes)) }
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\") && index + 3 < count && bytes[index + 1] == UInt8(ascii: "x"),
                        let high = Self.hexValue(bytes[index + 2]), let low = Self.hexValue(bytes[index + 3])
                    {
                        current.append(high << 4 | low)
                        index += 3
                    } else if byte == UInt8(ascii: "\\") && index + 1 < count {
                        index += 1
                        switch bytes[index] {
                        case UInt8(ascii: "n"): current.append(0x0A)
                        case UInt8(ascii: "r"): current.append(0x0D)
                        case UInt8(ascii: "t"): current.append(0x09)
                        case UInt8(ascii: "b"): current.append(0x08)
                        case UInt8(ascii: "a"): current.append(0x07)
                        case let other: current.append(other)
                        }
                    } else if byte == UInt8(ascii: "\"") {
                        // The closing quote must be followed by a space or nothing.
                        if index + 1 < count && !Self.isSpace(bytes[index + 1]) {
                            return .failure(RESPParsingError(.unbalancedQuotes))
                        }
                        done = true
                    } else {
                        current.append(byte)
                    }
                } else if inSingleQuotes {
                    guard index < count else { return .failure(RESPParsingError(.unbalancedQuotes)) }
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\") && index + 1 < count && bytes[index + 1] == UInt8(ascii: "'") {
                        index += 1
                        current.append(UInt8(ascii: "'"))
                    } else if byte == UInt8(ascii: "'") {
                        if index + 1 < count && !Self.isSpace(bytes[index + 1]) {
                            return .failure(RESPParsingError(.unbalancedQuotes))
                        }
                        done = true
                    } else {
                        current.append(byte)
                    }
                } else {
                    guard index < count else { break }
                    let byte = bytes[index]
                    switch byte {
                    case 0x20, 0x0A, 0x0D, 0x09, 0x00:
                        done = true
                    case UInt8(ascii: "\""):
                        inDoubleQuotes = true
                    case UInt8(ascii: "'"):
                        inSingleQuotes = true
                    default:
                        current.append(byte)
                    }
                }
                if index < count { index += 1 }
            }
            arguments.append(current)
        }
    }
}
