import NIOCore

extension RESPCommandSpec {
    // MARK: - Public API

    /// The key positions when they depend only on the argument count, which is the case for most commands
    /// (GET, SET, MGET, MSET, DEL, LMOVE, BITOP, ...); nil when the arguments must be read (EVAL's numkeys,
    /// XREAD's `STREAMS`, SORT's `STORE`). Allocates nothing.
    ///
    /// ```swift
    /// let mget = RESPCommandTable.lookup("MGET")!
    /// assert(Array(mget.keyRange(argumentCount: 4)!) == [1, 2, 3])
    /// ```
    ///
    /// - Parameter argumentCount: The number of arguments, counting the command name.
    public func keyRange(argumentCount: Int) -> RESPKeyRange? {
        guard let layout = self.keyLayout else { return nil }
        guard layout.hasKeys else { return .empty }
        var last = -1
        for spec in self.keySpecs where !spec.flags.contains(.notKey) {
            guard case .index(let first) = spec.beginSearch,
                case .range(let lastKey, _, let limit) = spec.findKeys
            else { return nil }
            let specLast = Self.lastKeyIndex(first: first, lastKey: lastKey, limit: limit, argumentCount: argumentCount)
            if specLast >= argumentCount || specLast < first || first >= argumentCount { return .empty }
            last = specLast
        }
        return RESPKeyRange(lowerBound: layout.firstKey, upperBound: last, step: layout.step)
    }

    /// Replaces the contents of `indices` with the positions of the key arguments, as Redis's
    /// `COMMAND GETKEYS` finds them. Reuse one array across calls and nothing is allocated once it has grown.
    ///
    /// ```swift
    /// let eval = RESPCommandTable.lookup("EVAL")!
    /// let arguments = ["EVAL", "return 1", "2", "a", "b", "x"].map { ByteBuffer(string: $0) }
    /// var keys: [Int] = []
    /// eval.keyIndices(in: arguments, into: &keys)
    /// assert(keys == [3, 4])
    /// ```
    ///
    /// - Parameters:
    ///   - arguments: The whole command; argument 0 is its name (and argument 1 a subcommand's name).
    ///   - includingNotKeys: Also return arguments that only hash like keys, such as `SPUBLISH`'s shard channel.
    ///   - indices: Receives offsets from `arguments.startIndex`, in Redis's order.
    public func keyIndices<Arguments: RandomAccessCollection>(
        in arguments: Arguments,
        includingNotKeys: Bool = false,
        into indices: inout [Int]
    ) where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        // Moved in and out, so the array stays uniquely referenced and keeps its capacity.
        var sink = RESPKeyIndexArraySink(indices: [])
        swap(&sink.indices, &indices)
        sink.removeAll()
        self.findKeys(in: arguments, includingNotKeys: includingNotKeys, sink: &sink)
        swap(&sink.indices, &indices)
    }

    /// The positions of the key arguments, as Redis's `COMMAND GETKEYS` finds them.
    ///
    /// ```swift
    /// let arguments = ["XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"].map { ByteBuffer(string: $0) }
    /// assert(RESPCommandTable.lookup("XREAD")!.keyIndices(in: arguments) == [4, 5])
    /// ```
    public func keyIndices<Arguments: RandomAccessCollection>(
        in arguments: Arguments,
        includingNotKeys: Bool = false
    ) -> [Int] where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        var indices: [Int] = []
        self.keyIndices(in: arguments, includingNotKeys: includingNotKeys, into: &indices)
        return indices
    }

    /// The position of the first key argument, which a proxy hashes to pick a backend; nil for keyless
    /// commands. Allocates nothing.
    ///
    /// ```swift
    /// let arguments = ["ZUNIONSTORE", "out", "2", "a", "b"].map { ByteBuffer(string: $0) }
    /// assert(RESPCommandTable.lookup("ZUNIONSTORE")!.firstKeyIndex(in: arguments) == 1)
    /// ```
    public func firstKeyIndex<Arguments: RandomAccessCollection>(
        in arguments: Arguments,
        includingNotKeys: Bool = false
    ) -> Int? where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        var sink = RESPKeyIndexFirstSink()
        self.findKeys(in: arguments, includingNotKeys: includingNotKeys, sink: &sink)
        return sink.first
    }

    // MARK: - Redis's algorithm

    private func findKeys<Arguments: RandomAccessCollection, Sink: RESPKeyIndexSink>(
        in arguments: Arguments,
        includingNotKeys: Bool,
        sink: inout Sink
    ) where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        if !includingNotKeys, let range = self.keyRange(argumentCount: arguments.count) {
            for index in range { sink.append(index) }
            return
        }
        let hasKeySpec = self.keySpecs.contains { includingNotKeys || !$0.flags.contains(.notKey) }
        if hasKeySpec && self.findKeysUsingSpecs(in: arguments, includingNotKeys: includingNotKeys, sink: &sink) {
            return
        }
        // Like Redis: when a spec cannot answer, the whole answer comes from the command's own procedure.
        sink.removeAll()
        switch self.keyFallback {
        case .sort?: Self.sortKeys(in: arguments, sink: &sink)
        case .sortReadOnly?: if arguments.count > 1 { sink.append(1) }
        case .migrate?: Self.migrateKeys(in: arguments, sink: &sink)
        case nil: self.keyCountFallbackKeys(in: arguments, sink: &sink)
        }
    }

    /// Returns false when a spec is invalid or incomplete for these arguments.
    private func findKeysUsingSpecs<Arguments: RandomAccessCollection, Sink: RESPKeyIndexSink>(
        in arguments: Arguments,
        includingNotKeys: Bool,
        sink: inout Sink
    ) -> Bool where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        let count = arguments.count
        let base = arguments.startIndex
        for spec in self.keySpecs {
            if spec.flags.contains(.notKey) && !includingNotKeys { continue }

            var first: Int
            switch spec.beginSearch {
            case .index(let index):
                first = index
            case .keyword(let keyword, let startFrom):
                guard let found = Self.searchKeyword(keyword, startFrom: startFrom, in: arguments) else { continue }
                first = found + 1
            case .unknown:
                return false
            }

            let last: Int
            let step: Int
            switch spec.findKeys {
            case .range(let lastKey, let rangeStep, let limit):
                step = rangeStep
                last = Self.lastKeyIndex(first: first, lastKey: lastKey, limit: limit, argumentCount: count)
            case .keyNumber(let index, let firstKey, let keyStep):
                step = keyStep
                let countIndex = first + index
                guard countIndex >= 0, countIndex < count,
                    let keyCount = Self.parseKeyCount(arguments[base + countIndex]), keyCount <= count
                else { return false }
                first += firstKey
                last = first + keyCount - 1
            case .unknown:
                return false
            }

            if step <= 0 || last >= count || last < first || first >= count { return false }
            for index in stride(from: first, through: last, by: step) {
                sink.append(index)
            }
            if spec.flags.contains(.incomplete) { return false }
        }
        return true
    }

    private static func lastKeyIndex(first: Int, lastKey: Int, limit: Int, argumentCount: Int) -> Int {
        if lastKey >= 0 { return first + lastKey }
        if limit == 0 { return argumentCount + lastKey }
        return first + ((argumentCount - first) / limit + lastKey)
    }

    /// The index of `keyword`, searched as Redis does: forwards from `startFrom` up to (not including) the last
    /// argument, or, for a negative `startFrom`, backwards from `count + startFrom` down to (not including) 1.
    private static func searchKeyword<Arguments: RandomAccessCollection>(
        _ keyword: String,
        startFrom: Int,
        in arguments: Arguments
    ) -> Int? where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        let count = arguments.count
        let start = startFrom > 0 ? startFrom : count + startFrom
        let end = startFrom > 0 ? count - 1 : 1
        let direction = start <= end ? 1 : -1
        var index = start
        while index != end {
            if index >= count || index < 1 { break }
            if arguments[arguments.startIndex + index].equalsCaseInsensitively(keyword) { return index }
            index += direction
        }
        return nil
    }

    // MARK: - Procedures for incomplete specs

    private static func sortKeys<Arguments: RandomAccessCollection, Sink: RESPKeyIndexSink>(
        in arguments: Arguments,
        sink: inout Sink
    ) where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        let count = arguments.count
        guard count > 1 else { return }
        sink.append(1)
        var store: Int? = nil
        var index = 2
        while index < count {
            let argument = arguments[arguments.startIndex + index]
            if argument.equalsCaseInsensitively("limit") {
                index += 2
            } else if argument.equalsCaseInsensitively("get") || argument.equalsCaseInsensitively("by") {
                index += 1
            } else if argument.equalsCaseInsensitively("store") && index + 1 < count {
                store = index + 1  // the last STORE wins, as in SORT itself
            }
            index += 1
        }
        if let store { sink.append(store) }
    }

    private static func migrateKeys<Arguments: RandomAccessCollection, Sink: RESPKeyIndexSink>(
        in arguments: Arguments,
        sink: inout Sink
    ) where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        let count = arguments.count
        let base = arguments.startIndex
        var first = 3
        var keyCount = 1
        var index = 6
        while index < count {
            let argument = arguments[base + index]
            if argument.equalsCaseInsensitively("keys") {
                if arguments[base + 3].readableBytes > 0 {
                    keyCount = 0  // a key and KEYS together: a syntax error MIGRATE reports itself
                } else {
                    first = index + 1
                    keyCount = count - first
                }
                break
            }
            if argument.equalsCaseInsensitively("auth") {
                index += 1
            } else if argument.equalsCaseInsensitively("auth2") {
                index += 2
            }
            index += 1
        }
        guard first + keyCount <= count else { return }
        for key in first..<(first + keyCount) {
            sink.append(key)
        }
    }

    /// Redis gives every command with a key count (EVAL, FCALL, ZUNIONSTORE, LMPOP, ...) a procedure that reads
    /// the count with `atoi` and puts a destination key last. It answers when the spec refuses the count, so
    /// `EVAL s 01 k` still finds `k`.
    private func keyCountFallbackKeys<Arguments: RandomAccessCollection, Sink: RESPKeyIndexSink>(
        in arguments: Arguments,
        sink: inout Sink
    ) where Arguments.Element == ByteBuffer, Arguments.Index == Int {
        let count = arguments.count
        var destination: Int? = nil
        for spec in self.keySpecs {
            switch (spec.beginSearch, spec.findKeys) {
            case (.index(let index), .range(lastKey: 0, step: _, limit: 0)):
                destination = index
            case (.index(let index), .keyNumber(let countOffset, let firstOffset, let step)):
                let countIndex = index + countOffset
                let firstKey = index + firstOffset
                guard step > 0, countIndex < count else { return }
                let keyCount = Self.parseLikeAtoi(arguments[arguments.startIndex + countIndex])
                guard keyCount >= 1, keyCount <= (count - firstKey) / step else { return }
                for position in 0..<keyCount {
                    sink.append(firstKey + position * step)
                }
                if let destination { sink.append(destination) }
                return
            default:
                continue
            }
        }
    }

    /// C's `atoi`: leading white space, an optional sign, then digits up to the first non-digit.
    private static func parseLikeAtoi(_ buffer: ByteBuffer) -> Int {
        buffer.withUnsafeReadableBytes { bytes -> Int in
            var position = 0
            while position < bytes.count,
                bytes[position] == 0x20 || (bytes[position] >= 0x09 && bytes[position] <= 0x0D)
            {
                position += 1
            }
            var negative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
                negative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            var value = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                value = min(value * 10 + Int(bytes[position] - UInt8(ascii: "0")), Int(Int32.max))
                position += 1
            }
            return negative ? -value : value
        }
    }

    /// Parses a key count the way Redis's `string2ll` does (no sign but `-`, no leading zeros, no spaces);
    /// nil when it is not an integer or is negative.
    private static func parseKeyCount(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard let firstByte = bytes.first, bytes.count <= 19 else { return nil }
            if bytes.count == 1 && firstByte == UInt8(ascii: "0") { return 0 }
            guard firstByte >= UInt8(ascii: "1") && firstByte <= UInt8(ascii: "9") else { return nil }
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = shifted + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }
}
