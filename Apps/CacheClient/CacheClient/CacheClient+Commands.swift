import NIOCore
import RESPCodec

extension CacheClient {
    // MARK: - Single keys

    /// The value stored at `key`, or `nil` when there is none.
    ///
    /// ```swift
    /// if let bytes = try await cache.get("greeting") { print(String(buffer: bytes)) }
    /// ```
    ///
    /// - Throws: ``CacheError``.
    public func get(_ key: String) async throws -> ByteBuffer? {
        // What `measured` does, written out: its closure would cost every request an async frame.
        let start = ContinuousClock.now
        let node = self.nodes[self.nodeIndex(forKey: key)]
        var command = self.allocator.buffer(capacity: 24 + key.utf8.count)
        command.writeRESPCommand2("GET", key)
        do {
            let (reply, arrivedAt) = try await self.send(command, to: node, startedAt: start)
            let value = try self.readValue(reply, node: node)
            self.metrics.requestDuration.record(start.duration(to: arrivedAt))
            return value
        } catch let error as CacheError {
            self.metrics.record(error)
            throw error
        }
    }

    /// Stores `value` at `key`, expiring after `ttl` (millisecond precision) or never when `ttl` is `nil`.
    ///
    /// Values of at least ``CacheClientConfiguration/compressionThreshold`` bytes are stored zlib-compressed.
    ///
    /// ```swift
    /// try await cache.set("greeting", ByteBuffer(string: "hello"), ttl: .seconds(60))
    /// ```
    ///
    /// - Throws: ``CacheError``.
    public func set(_ key: String, _ value: ByteBuffer, ttl: Duration? = nil) async throws {
        // What `measured` does, written out, as in `get`.
        let start = ContinuousClock.now
        let node = self.nodes[self.nodeIndex(forKey: key)]
        let stored = self.frame(value)
        var command = self.allocator.buffer(capacity: 64 + key.utf8.count + stored.bytes.readableBytes)
        Self.writeSet(key, stored, ttl: ttl, into: &command)
        do {
            let (reply, arrivedAt) = try await self.send(command, to: node, startedAt: start)
            try self.expectOK(reply, node: node)
            self.metrics.requestDuration.record(start.duration(to: arrivedAt))
        } catch let error as CacheError {
            self.metrics.record(error)
            throw error
        }
    }

    /// Deletes `keys` (on whichever nodes they live) and returns how many existed.
    ///
    /// ```swift
    /// let removed = try await cache.delete(["a", "b"])
    /// ```
    ///
    /// - Throws: ``CacheError``; with keys on several nodes, the first node's failure.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.measured {
            let groups = self.group(keys)
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, positions) in groups {
                    group.addTask {
                        let node = self.nodes[index]
                        var command = self.allocator.buffer(capacity: 16 + 24 * positions.count)
                        command.writeRESPArrayHeader(count: positions.count + 1)
                        command.writeRESPBulkString("DEL")
                        for position in positions { command.writeRESPBulkString(keys[position]) }
                        let reply = try await self.send(command, to: node)
                        guard case .integer(let removed) = reply.value else {
                            throw self.unexpected(reply, node: node)
                        }
                        return Int(removed)
                    }
                }
                return try await group.reduce(0, +)
            }
        }
    }

    /// Deletes `keys` and returns how many existed.
    ///
    /// ```swift
    /// try await cache.delete("a", "b")
    /// ```
    @discardableResult
    public func delete(_ keys: String...) async throws -> Int {
        try await self.delete(keys)
    }

    // MARK: - Several keys

    /// The values of `keys`, in order, `nil` where absent: one `MGET` per node, sent concurrently.
    ///
    /// ```swift
    /// let values = try await cache.mget(["a", "b", "c"])
    /// ```
    ///
    /// - Throws: ``CacheError``; with keys on several nodes, a failing node fails the whole call.
    public func mget(_ keys: [String]) async throws -> [ByteBuffer?] {
        guard !keys.isEmpty else { return [] }
        return try await self.measured {
            let groups = self.group(keys)
            var values = [ByteBuffer?](repeating: nil, count: keys.count)
            try await withThrowingTaskGroup(of: [(Int, ByteBuffer?)].self) { group in
                for (index, positions) in groups {
                    group.addTask {
                        let node = self.nodes[index]
                        var command = self.allocator.buffer(capacity: 16 + 24 * positions.count)
                        command.writeRESPArrayHeader(count: positions.count + 1)
                        command.writeRESPBulkString("MGET")
                        for position in positions { command.writeRESPBulkString(keys[position]) }
                        let reply = try await self.send(command, to: node)
                        guard case .array(let elements) = reply.value, elements.count == positions.count else {
                            throw self.unexpected(reply, node: node)
                        }
                        return try zip(positions, elements).map { ($0, try self.readValue($1, node: node)) }
                    }
                }
                for try await found in group {
                    for (position, value) in found { values[position] = value }
                }
            }
            return values
        }
    }

    /// Stores every pair, with the same `ttl`: per node, one pipelined batch of `SET ... PX`, or one `MSET`
    /// without a TTL.
    ///
    /// ```swift
    /// try await cache.mset(["a": ByteBuffer(string: "1"), "b": ByteBuffer(string: "2")], ttl: .seconds(30))
    /// ```
    ///
    /// - Throws: ``CacheError``. Not atomic across nodes: pairs on healthy nodes are stored even when another
    ///   node fails.
    public func mset(_ values: [String: ByteBuffer], ttl: Duration? = nil) async throws {
        guard !values.isEmpty else { return }
        let pairs = values.map { (key: $0.key, value: self.frame($0.value)) }
        try await self.measured {
            let groups = self.group(pairs.map(\.key))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, positions) in groups {
                    group.addTask {
                        let node = self.nodes[index]
                        var command = self.allocator.buffer(capacity: 64 * positions.count)
                        let count: Int
                        if ttl == nil {
                            command.writeRESPArrayHeader(count: 1 + 2 * positions.count)
                            command.writeRESPBulkString("MSET")
                            for position in positions {
                                command.writeRESPBulkString(pairs[position].key)
                                command.writeRESPBulkString(
                                    header: pairs[position].value.encoding.headerByte,
                                    pairs[position].value.bytes
                                )
                            }
                            count = 1
                        } else {
                            for position in positions {
                                Self.writeSet(pairs[position].key, pairs[position].value, ttl: ttl, into: &command)
                            }
                            count = positions.count
                        }
                        for reply in try await self.send(command, count: count, to: node) {
                            try self.expectOK(reply, node: node)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    // MARK: - Helpers

    /// Positions of `keys` by node index.
    func group(_ keys: [String]) -> [Int: [Int]] {
        var groups: [Int: [Int]] = [:]
        for (position, key) in keys.enumerated() {
            groups[self.nodeIndex(forKey: key), default: []].append(position)
        }
        return groups
    }

    /// `SET key <header byte><payload>`, with `PX` when there is a TTL.
    static func writeSet(_ key: String, _ stored: ValueFrame.Encoded, ttl: Duration?, into command: inout ByteBuffer) {
        command.writeRESPArrayHeader(count: ttl == nil ? 3 : 5)
        command.writeRESPBulkString("SET")
        command.writeRESPBulkString(key)
        command.writeRESPBulkString(header: stored.encoding.headerByte, stored.bytes)
        if let ttl {
            command.writeRESPBulkString("PX")
            command.writeRESPBulkString(String(Self.milliseconds(ttl)))
        }
    }

    /// Whole milliseconds, at least 1 (Redis refuses `PX 0`).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// The stored form of `value`, compressed past the threshold, as a payload to write after its header byte
    /// (``ValueFrame/payload(of:threshold:compress:)``); compression counted and timed.
    func frame(_ value: ByteBuffer) -> ValueFrame.Encoded {
        guard self.configuration.compressionEnabled, value.readableBytes >= self.configuration.compressionThreshold
        else {
            return ValueFrame.Encoded(bytes: value, encoding: .raw, attemptedCompression: false)
        }
        let start = ContinuousClock.now
        let encoded = ValueFrame.payload(of: value, threshold: self.configuration.compressionThreshold) { value in
            (try? ZlibCompression.compress(value)) ?? value
        }
        self.metrics.compressionDuration.record(start.duration(to: .now))
        self.metrics.compressionInputBytes.increment(by: UInt64(value.readableBytes))
        self.metrics.compressionOutputBytes.increment(by: UInt64(encoded.bytes.readableBytes))
        if encoded.encoding == .zlib { self.metrics.compressedValues.increment() }
        return encoded
    }

    /// A bulk reply's value (header removed, decompressed), `nil` for a null; counts hits and misses.
    func readValue(_ reply: RESPToken, node: CacheNode) throws -> ByteBuffer? {
        switch reply.value {
        case .bulkString(let bytes):
            self.metrics.hits.increment()
            do {
                let (value, encoding) = try ValueFrame.decode(bytes, decompress: ZlibCompression.decompress)
                if encoding == .zlib { self.metrics.decompressedValues.increment() }
                return value
            } catch {
                throw CacheError.protocolError(node: node.name, reason: "corrupt compressed value: \(error)")
            }
        case .null:
            self.metrics.misses.increment()
            return nil
        default:
            throw self.unexpected(reply, node: node)
        }
    }

    func expectOK(_ reply: RESPToken, node: CacheNode) throws {
        guard reply.typeIdentifier == .simpleString else { throw self.unexpected(reply, node: node) }
    }

    /// A Redis error reply as ``CacheError/server(node:message:)``, anything else as a protocol error.
    func unexpected(_ reply: RESPToken, node: CacheNode) -> CacheError {
        switch reply.value {
        case .simpleError(let message), .bulkError(let message):
            .server(node: node.name, message: String(buffer: message))
        default:
            .protocolError(node: node.name, reason: "unexpected reply \(RESPValue(reply))")
        }
    }
}
