import NIOCore

extension CacheClient {
    // MARK: - Byte arrays

    /// The bytes stored at `key`, or `nil`.
    ///
    /// ```swift
    /// let bytes: [UInt8]? = try await cache.get("avatar:42", as: [UInt8].self)
    /// ```
    public func get(_ key: String, as type: [UInt8].Type) async throws -> [UInt8]? {
        try await self.get(key).map { Array($0.readableBytesView) }
    }

    /// Stores `value` at `key`, expiring after `ttl`.
    ///
    /// ```swift
    /// try await cache.set("avatar:42", pngBytes, ttl: .seconds(3600))
    /// ```
    public func set(_ key: String, _ value: [UInt8], ttl: Duration? = nil) async throws {
        try await self.set(key, ByteBuffer(bytes: value), ttl: ttl)
    }

    // MARK: - Codable values

    /// The value at `key` decoded with the configured ``CacheCodec`` (JSON by default), or `nil`.
    ///
    /// ```swift
    /// let user = try await cache.get("user:42", as: User.self)
    /// ```
    ///
    /// - Throws: ``CacheError/codec(_:)`` when the stored bytes do not decode, or another ``CacheError``.
    @_disfavoredOverload
    public func get<Value: Decodable>(_ key: String, as type: Value.Type) async throws -> Value? {
        guard let bytes = try await self.get(key) else { return nil }
        return try self.decode(type, from: bytes)
    }

    /// Stores `value` at `key`, encoded with the configured ``CacheCodec``.
    ///
    /// ```swift
    /// try await cache.set("user:42", User(id: 42, name: "Ada"), ttl: .seconds(300))
    /// ```
    @_disfavoredOverload
    public func set<Value: Encodable>(_ key: String, _ value: Value, ttl: Duration? = nil) async throws {
        try await self.set(key, try self.encode(value), ttl: ttl)
    }

    /// The values of `keys` decoded with the configured ``CacheCodec``, `nil` where absent.
    ///
    /// ```swift
    /// let users = try await cache.mget(["user:1", "user:2"], as: User.self)
    /// ```
    @_disfavoredOverload
    public func mget<Value: Decodable>(_ keys: [String], as type: Value.Type) async throws -> [Value?] {
        try await self.mget(keys).map { bytes in try bytes.map { try self.decode(type, from: $0) } }
    }

    /// Stores every pair encoded with the configured ``CacheCodec``.
    ///
    /// ```swift
    /// try await cache.mset(["user:1": ada, "user:2": grace], ttl: .seconds(300))
    /// ```
    @_disfavoredOverload
    public func mset<Value: Encodable>(_ values: [String: Value], ttl: Duration? = nil) async throws {
        try await self.mset(try values.mapValues { try self.encode($0) }, ttl: ttl)
    }

    /// Cache-aside for `Codable` values; see ``getOrSet(_:ttl:compute:)-(_,_,()->ByteBuffer)``.
    ///
    /// ```swift
    /// let user = try await cache.getOrSet("user:42", ttl: .seconds(300)) { try await database.user(42) }
    /// ```
    public func getOrSet<Value: Codable & Sendable>(
        _ key: String,
        ttl: Duration?,
        compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let codec = self.configuration.codec
        let bytes = try await self.getOrSet(key, ttl: ttl) { () async throws -> ByteBuffer in
            let value = try await compute()
            do {
                return ByteBuffer(bytes: try codec.encode(value))
            } catch {
                throw CacheError.codec("cannot encode \(Value.self): \(error)")
            }
        }
        return try self.decode(Value.self, from: bytes)
    }

    // MARK: - Codec

    func encode<Value: Encodable>(_ value: Value) throws -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try self.configuration.codec.encode(value))
        } catch {
            self.metrics.codecErrors.increment()
            throw CacheError.codec("cannot encode \(Value.self): \(error)")
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type, from bytes: ByteBuffer) throws -> Value {
        do {
            return try self.configuration.codec.decode(type, from: Array(bytes.readableBytesView))
        } catch {
            self.metrics.codecErrors.increment()
            throw CacheError.codec("cannot decode \(Value.self): \(error)")
        }
    }
}
