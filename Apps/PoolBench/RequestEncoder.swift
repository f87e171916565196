import NIOCore

/// A ``CommandTemplate`` compiled for one key prefix. The array header, the fixed arguments with their lengths and
/// the key prefix are laid out as bytes once; a request is then one reservation in the buffer and a few copies,
/// instead of a dozen `ByteBuffer` writes (each with its own bounds and exclusivity checks), which showed up as the
/// largest user-space cost of a pipelined SET run.
///
/// ```swift
/// let encoder = RequestEncoder(template: try CommandTemplate(parsing: "SET __key__ __data__"), keyPrefix: "key:")
/// var buffer = ByteBufferAllocator().buffer(capacity: 64)
/// Array("xyz".utf8).withUnsafeBytes { encoder.write(key: 42, data: $0, into: &buffer) }
/// // *3\r\n$3\r\nSET\r\n$6\r\nkey:42\r\n$3\r\nxyz\r\n
/// ```
struct RequestEncoder: Sendable {
    private enum Step: Sendable {
        /// Bytes of `literals`.
        case literal(offset: Int, count: Int)
        /// `$<length>\r\n` of an argument with placeholders: its literal bytes plus keys and values.
        case length(fixed: Int, keys: Int, values: Int)
        /// The key number in decimal; the prefix is part of the literal before it.
        case keyNumber
        case data
    }

    private let literals: [UInt8]
    private let steps: [Step]
    private let prefixCount: Int
    private let keyCount: Int
    private let dataCount: Int
    private let lengthCount: Int

    init(template: CommandTemplate, keyPrefix: String) {
        let prefix = Array(keyPrefix.utf8)
        var literals: [UInt8] = []
        var steps: [Step] = []
        func append(_ bytes: [UInt8]) {
            guard !bytes.isEmpty else { return }
            if case .literal(let offset, let count) = steps.last, offset + count == literals.count {
                steps[steps.count - 1] = .literal(offset: offset, count: count + bytes.count)
            } else {
                steps.append(.literal(offset: literals.count, count: bytes.count))
            }
            literals += bytes
        }
        var keyCount = 0
        var dataCount = 0
        var lengthCount = 0
        append(Array("*\(template.arguments.count)\r\n".utf8))
        for argument in template.arguments {
            var fixed = 0
            var keys = 0
            var values = 0
            for segment in argument.segments {
                switch segment {
                case .literal(let bytes): fixed += bytes.count
                case .key: keys += 1
                case .data: values += 1
                }
            }
            if keys == 0 && values == 0 {
                append(Array("$\(fixed)\r\n".utf8))
            } else {
                steps.append(.length(fixed: fixed + keys * prefix.count, keys: keys, values: values))
                lengthCount += 1
            }
            for segment in argument.segments {
                switch segment {
                case .literal(let bytes):
                    append(bytes)
                case .key:
                    append(prefix)
                    steps.append(.keyNumber)
                    keyCount += 1
                case .data:
                    steps.append(.data)
                    dataCount += 1
                }
            }
            append(Array("\r\n".utf8))
        }
        self.literals = literals
        self.steps = steps
        self.prefixCount = prefix.count
        self.keyCount = keyCount
        self.dataCount = dataCount
        self.lengthCount = lengthCount
    }

    /// Appends one request for key `prefix + key` with `data` for every `__data__`.
    func write(key: Int64, data: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        let keyDigits = key.decimalDigitCount
        // "$" + at most 20 digits + CRLF per length; at most 20 characters per key number.
        let bound = self.literals.count + self.lengthCount * 23 + self.keyCount * 20 + self.dataCount * data.count
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { output in
            let base = output.baseAddress!
            var at = 0
            self.literals.withUnsafeBytes { literals in
                for step in self.steps {
                    switch step {
                    case .literal(let offset, let count):
                        (base + at).copyMemory(from: literals.baseAddress! + offset, byteCount: count)
                        at += count
                    case .length(let fixed, let keys, let values):
                        base.storeBytes(of: UInt8(ascii: "$"), toByteOffset: at, as: UInt8.self)
                        at += 1
                        let length = fixed + keys * keyDigits + values * data.count
                        at += Self.storeDecimal(Int64(length), digits: Int64(length).decimalDigitCount, at: base + at)
                        base.storeBytes(of: UInt8(ascii: "\r"), toByteOffset: at, as: UInt8.self)
                        base.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: at + 1, as: UInt8.self)
                        at += 2
                    case .keyNumber:
                        at += Self.storeDecimal(key, digits: keyDigits, at: base + at)
                    case .data:
                        if data.count > 0 {
                            (base + at).copyMemory(from: data.baseAddress!, byteCount: data.count)
                            at += data.count
                        }
                    }
                }
            }
            return at
        }
    }

    /// Writes `value` (which has `digits` characters, sign included) at `pointer`; returns `digits`.
    private static func storeDecimal(_ value: Int64, digits: Int, at pointer: UnsafeMutableRawPointer) -> Int {
        var rest = value.magnitude
        var index = digits - 1
        repeat {
            pointer.storeBytes(of: UInt8(ascii: "0") + UInt8(rest % 10), toByteOffset: index, as: UInt8.self)
            rest /= 10
            index -= 1
        } while rest > 0
        if value < 0 { pointer.storeBytes(of: UInt8(ascii: "-"), toByteOffset: 0, as: UInt8.self) }
        return digits
    }
}
