import NIOCore
import RESPCodec

extension CacheClient {
    /// Cache-aside: the value at `key`, or else the result of `compute`, stored with `ttl` and returned.
    ///
    /// Concurrent calls for the same key compute once (single-flight): the others wait for that computation and
    /// share its value, or its error. With ``CacheClientConfiguration/earlyRefresh`` set, a reader may refresh
    /// a key shortly before it expires (probabilistic early expiration) while the others keep reading the cached
    /// value, and each write's TTL is jittered so that keys written together do not expire together.
    ///
    /// A failing node is not bypassed: its keys fail with ``CacheError/unavailable(node:reason:)`` and
    /// `compute` does not run, so a cache outage never turns into a stampede on the source of truth.
    ///
    /// ```swift
    /// let page = try await cache.getOrSet("page:/home", ttl: .seconds(30)) {
    ///     ByteBuffer(string: try await render("/home"))
    /// }
    /// ```
    public func getOrSet(
        _ key: String,
        ttl: Duration?,
        compute: @escaping @Sendable () async throws -> ByteBuffer
    ) async throws -> ByteBuffer {
        if let policy = self.configuration.earlyRefresh, ttl != nil {
            let (cached, remaining) = try await self.getWithRemainingTTL(key)
            if let cached {
                let random = Double.random(in: Double.ulpOfOne...1)
                guard let remaining, policy.shouldRefresh(remaining: remaining, random: random) else {
                    return cached
                }
                self.metrics.earlyRefreshes.increment()
                return try await self.computeOnce(key, ttl: ttl, recheck: false, compute: compute)
            }
        } else if let cached = try await self.get(key) {
            return cached
        }
        return try await self.computeOnce(key, ttl: ttl, recheck: true, compute: compute)
    }

    /// Runs `compute` once for every concurrent caller. `recheck` reads the key again first: a caller whose
    /// miss raced with another caller's write then finds the fresh value instead of computing it again.
    private func computeOnce(
        _ key: String,
        ttl: Duration?,
        recheck: Bool,
        compute: @escaping @Sendable () async throws -> ByteBuffer
    ) async throws -> ByteBuffer {
        try await self.flights.run(key) { [self] in
            if recheck, let cached = try await self.get(key) { return cached }
            self.metrics.computations.increment()
            let value = try await compute()
            let jittered = ttl.map { ttl in
                self.configuration.earlyRefresh?.jitteredTTL(ttl, random: Double.random(in: 0..<1)) ?? ttl
            }
            try await self.set(key, value, ttl: jittered)
            return value
        }
    }

    /// One round trip: `GET` and `PTTL` pipelined on the same connection.
    private func getWithRemainingTTL(_ key: String) async throws -> (ByteBuffer?, Duration?) {
        try await self.measured {
            let node = self.nodes[self.nodeIndex(forKey: key)]
            var commands = self.allocator.buffer(capacity: 48 + 2 * key.utf8.count)
            commands.writeRESPCommand2("GET", key)
            commands.writeRESPCommand2("PTTL", key)
            let replies = try await self.send(commands, count: 2, to: node)
            let value = try self.readValue(replies[0], node: node)
            guard case .integer(let milliseconds) = replies[1].value else {
                throw self.unexpected(replies[1], node: node)
            }
            return (value, milliseconds >= 0 ? .milliseconds(milliseconds) : nil)
        }
    }
}
