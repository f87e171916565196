import CacheClient
import Testing

@Suite struct CodecTests {
    struct User: Codable, Equatable {
        var id: Int
        var name: String
        var tags: [String]
    }

    @Test func jsonRoundTripsWithSortedKeys() throws {
        let codec = JSONCacheCodec()
        let user = User(id: 42, name: "Ada", tags: ["x"])
        let bytes = try codec.encode(user)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"id":42,"name":"Ada","tags":["x"]}"#)
        #expect(try codec.decode(User.self, from: bytes) == user)
    }

    @Test func garbageDoesNotDecode() {
        #expect(throws: (any Error).self) { try JSONCacheCodec().decode(User.self, from: Array("nope".utf8)) }
    }

    @Test func serversParseLikeNutcracker() {
        #expect(CacheServer(parsing: "127.0.0.1:6380") == CacheServer(host: "127.0.0.1", port: 6380))
        #expect(
            CacheServer(parsing: "10.0.0.1:6379:2 shard-a") == CacheServer(host: "10.0.0.1", weight: 2, name: "shard-a")
        )
        #expect(CacheServer(parsing: "[::1]:6379") == CacheServer(host: "::1", port: 6379))
        #expect(CacheServer(parsing: "nope") == nil)
        #expect(CacheServer(parsing: "host:0") == nil)
        #expect(CacheServer(host: "a", port: 1).description == "a:1")
    }
}
