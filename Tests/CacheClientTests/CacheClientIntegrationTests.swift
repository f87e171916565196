import CacheClient
import NIOCore
import RESPCodec
import RedisTestSupport
import SocketIO
import Testing

/// Round trips, TTLs, compression, single-flight and stats against a real redis-server.
@Suite(.blockingAllowed, .serialized) struct CacheClientIntegrationTests {
    struct User: Codable, Equatable, Sendable {
        var id: Int
        var name: String
    }

    @Test func everyValueTypeRoundTrips() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let (client, _) = try await CacheClientHarness.start(CacheClientHarness.configuration(ports: [server.port]))

        try await client.set("buffer", ByteBuffer(string: "bytes"))
        #expect(try await client.get("buffer") == ByteBuffer(string: "bytes"))
        let array: [UInt8] = [0, 1, 2, 255]
        try await client.set("array", array)
        #expect(try await client.get("array", as: [UInt8].self) == [0, 1, 2, 255])
        let bare = try await CacheClientHarness.bare(server.port)
        // Byte arrays are stored as bytes (behind the raw header), not through the JSON codec.
        #expect(try await bare.send("GET", "array") == .bulkString(ByteBuffer(bytes: [0x00, 0, 1, 2, 255])))
        #expect(try await bare.send("GET", "user") == .bulkString(nil))
        await bare.close()
        try await client.set("user", User(id: 42, name: "Ada"))
        #expect(try await client.get("user", as: User.self) == User(id: 42, name: "Ada"))
        try await client.set("empty", ByteBuffer())
        #expect(try await client.get("empty") == ByteBuffer())
        #expect(try await client.get("absent") == nil)
        #expect(try await client.get("absent", as: User.self) == nil)

        try await client.mset(["m1": ByteBuffer(string: "1"), "m2": ByteBuffer(string: "2")])
        #expect(
            try await client.mget(["m1", "nope", "m2"]) == [ByteBuffer(string: "1"), nil, ByteBuffer(string: "2")]
        )
        try await client.mset(["u1": User(id: 1, name: "a"), "u2": User(id: 2, name: "b")], ttl: .seconds(60))
        #expect(
            try await client.mget(["u1", "u2", "u3"], as: User.self) == [
                User(id: 1, name: "a"), User(id: 2, name: "b"), nil,
            ]
        )

        #expect(try await client.delete("m1", "m2", "nope") == 2)
        #expect(try await client.get("m1") == nil)
        await #expect(throws: CacheError.self) { try await client.get("buffer", as: User.self) }

        let stats = client.stats()
        #expect(stats.hits >= 9)
        #expect(stats.misses >= 4)
        #expect(stats.responseTime.count > 0 && stats.responseTime.p99 >= stats.responseTime.p95)
        let exposition = client.prometheusExposition()
        #expect(exposition.contains("cache_hits_total \(stats.hits)"))
        #expect(exposition.contains("cache_request_duration_seconds_bucket"))
        await client.shutdown()
        await #expect(throws: CacheError.self) { try await client.get("buffer") }
    }

    @Test func keysExpireAfterTheirTTL() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let (client, _) = try await CacheClientHarness.start(CacheClientHarness.configuration(ports: [server.port]))
        try await client.set("short", ByteBuffer(string: "v"), ttl: .milliseconds(150))
        try await client.set("long", ByteBuffer(string: "v"), ttl: .seconds(60))
        try await client.mset(["batch": ByteBuffer(string: "v")], ttl: .milliseconds(150))
        let bare = try await CacheClientHarness.bare(server.port)
        guard case .integer(let pttl) = try await bare.send("PTTL", "long") else { Issue.record("no PTTL"); return }
        #expect(pttl > 50_000 && pttl <= 60_000)
        let expired = await CacheClientHarness.eventually(within: .seconds(5)) {
            let short = try? await client.get("short")
            let batch = try? await client.get("batch")
            return short == .some(nil) && batch == .some(nil)
        }
        #expect(expired)
        #expect(try await client.get("long") != nil)
        await bare.close()
        await client.shutdown()
    }

    @Test func largeValuesAreStoredCompressedBehindAHeaderByte() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let (client, _) = try await CacheClientHarness.start(CacheClientHarness.configuration(ports: [server.port]))
        let bare = try await CacheClientHarness.bare(server.port)

        func stored(_ key: String) async throws -> [UInt8] {
            guard case .bulkString(let bytes?) = try await bare.send("GET", key) else { return [] }
            return Array(bytes.readableBytesView)
        }
        let below = ByteBuffer(string: String(repeating: "a", count: 1023))
        let at = ByteBuffer(string: String(repeating: "a", count: 1024))
        try await client.set("below", below)
        try await client.set("at", at)
        let rawBytes = try await stored("below")
        let zlibBytes = try await stored("at")
        #expect(rawBytes.first == 0x00 && rawBytes.count == 1024)
        #expect(zlibBytes.first == 0x01 && zlibBytes.count < 100)
        #expect(try await client.get("below") == below)
        #expect(try await client.get("at") == at)

        let compression = client.stats().compression
        #expect(compression.compressedValues == 1)
        #expect(compression.decompressedValues == 1)
        #expect(compression.inputBytes == 1024 && compression.outputBytes == zlibBytes.count - 1)
        #expect(compression.ratio < 0.1)
        #expect(compression.totalTime > .zero)

        // A value another client wrote without a header is read whole.
        _ = try await bare.send("SET", "foreign", "{\"plain\":true}")
        #expect(try await client.get("foreign") == ByteBuffer(string: "{\"plain\":true}"))
        await client.shutdown()

        var off = CacheClientHarness.configuration(ports: [server.port])
        off.compressionEnabled = false
        let (uncompressed, _) = try await CacheClientHarness.start(off)
        try await uncompressed.set("off", at)
        let offBytes = try await stored("off")
        #expect(offBytes.first == 0x00 && offBytes.count == 1025)
        #expect(try await uncompressed.get("at") == at)  // compressed values stay readable
        await uncompressed.shutdown()
        await bare.close()
    }

    @Test func aThousandConcurrentGetOrSetCallersComputeOnce() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        var configuration = CacheClientHarness.configuration(ports: [server.port])
        // A thousand callers queue for four connections at once: on a loaded machine the last ones wait longer
        // than the harness's 2 s, and this test is about computing once, not about the pool's timeout.
        configuration.poolTimeout = TestTime.scaled(.seconds(10))
        let (client, _) = try await CacheClientHarness.start(configuration)
        let computations = ComputationCounter()
        let callers = 1_000
        let values = try await withThrowingTaskGroup(of: User.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await client.getOrSet("hot", ttl: .seconds(60)) {
                        computations.increment()
                        // Stay in flight while the other callers miss and join (bounded: callers that read
                        // after the write simply hit).
                        _ = await CacheClientHarness.eventually(within: .seconds(5)) {
                            client.stats().sharedResults >= callers - 1
                        }
                        return User(id: 7, name: "computed once")
                    }
                }
            }
            return try await group.reduce(into: [User]()) { $0.append($1) }
        }
        #expect(values.count == callers && values.allSatisfy { $0 == User(id: 7, name: "computed once") })
        #expect(computations.value == 1)
        #expect(client.stats().computations == 1)
        #expect(try await client.get("hot", as: User.self) == User(id: 7, name: "computed once"))

        // The error is shared too, and nothing is cached.
        struct Boom: Error {}
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    do {
                        _ = try await client.getOrSet("failing", ttl: .seconds(60)) { () async throws -> User in
                            try await Task.sleep(for: .milliseconds(50))
                            throw Boom()
                        }
                        return false
                    } catch {
                        return error is Boom
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 100)
        #expect(try await client.get("failing") == nil)
        await client.shutdown()
    }

    @Test func earlyRefreshRecomputesAKeyCloseToExpiry() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        var configuration = CacheClientHarness.configuration(ports: [server.port])
        // Any read within ~10 s of expiry refreshes with near certainty.
        configuration.earlyRefresh = EarlyRefreshPolicy(recomputeTime: .seconds(100), beta: 1, ttlJitter: 0.5)
        let (client, _) = try await CacheClientHarness.start(configuration)
        let computations = ComputationCounter()
        for _ in 0..<3 {
            _ = try await client.getOrSet("refreshing", ttl: .seconds(10)) { () async throws -> ByteBuffer in
                computations.increment()
                return ByteBuffer(string: "v")
            }
        }
        #expect(computations.value >= 2)
        #expect(client.stats().earlyRefreshes >= 1)
        let bare = try await CacheClientHarness.bare(server.port)
        guard case .integer(let pttl) = try await bare.send("PTTL", "refreshing") else {
            Issue.record("no PTTL"); return
        }
        #expect(pttl > 4_000 && pttl <= 10_000)  // jittered by at most half
        await bare.close()
        await client.shutdown()
    }
}
