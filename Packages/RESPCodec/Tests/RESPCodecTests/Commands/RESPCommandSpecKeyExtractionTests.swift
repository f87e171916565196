import NIOCore
import RESPCodec
import Testing

@Suite struct RESPCommandSpecKeyExtractionTests {
    /// Finds the spec the way a proxy would and returns the key positions.
    private func keys(_ words: String..., includingNotKeys: Bool = false) throws -> [Int] {
        let arguments = words.map { ByteBuffer(string: $0) }
        let spec = try #require(RESPCommandTable.lookup(arguments: arguments), "\(words)")
        return spec.keyIndices(in: arguments, includingNotKeys: includingNotKeys)
    }

    @Test func fixedPositions() throws {
        #expect(try keys("GET", "k") == [1])
        #expect(try keys("SET", "k", "v", "EX", "10", "GET") == [1])
        #expect(try keys("MGET", "a", "b", "c") == [1, 2, 3])
        #expect(try keys("MSET", "a", "1", "b", "2", "c", "3") == [1, 3, 5])
        #expect(try keys("DEL", "a", "b") == [1, 2])
        #expect(try keys("UNLINK", "a") == [1])
        #expect(try keys("BLPOP", "a", "b", "0") == [1, 2])
        #expect(try keys("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0") == [1, 2])
        #expect(try keys("BITOP", "AND", "dst", "a", "b") == [2, 3, 4])
        #expect(try keys("OBJECT", "ENCODING", "k") == [2])
        #expect(try keys("MEMORY", "USAGE", "k", "SAMPLES", "5") == [2])
        #expect(try keys("XINFO", "STREAM", "s", "FULL") == [2])
        #expect(try keys("PING") == [])
        #expect(try keys("CONFIG", "GET", "maxmemory") == [])
    }

    @Test func keyCounts() throws {
        #expect(try keys("EVAL", "return 1", "2", "a", "b", "x") == [3, 4])
        #expect(try keys("EVALSHA", "abc", "1", "a", "x", "y") == [3])
        #expect(try keys("FCALL", "f", "1", "a") == [3])
        #expect(try keys("EVAL", "return 1", "0", "x") == [])
        #expect(try keys("ZUNIONSTORE", "out", "2", "a", "b", "WEIGHTS", "1", "2") == [1, 3, 4])
        #expect(try keys("ZINTER", "2", "a", "b") == [2, 3])
        #expect(try keys("SINTERCARD", "2", "a", "b", "LIMIT", "5") == [2, 3])
        #expect(try keys("LMPOP", "2", "a", "b", "LEFT") == [2, 3])
        #expect(try keys("BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "1") == [3, 4])
        #expect(try keys("BZMPOP", "1.5", "1", "z", "MIN") == [3])
    }

    @Test func invalidKeyCountsFindNothing() throws {
        #expect(try keys("EVAL", "s", "3", "a", "b") == [])
        #expect(try keys("EVAL", "s", "-1", "a") == [])
        #expect(try keys("EVAL", "s", "two", "a") == [])
        #expect(try keys("ZUNIONSTORE", "out", "5", "a", "b") == [])
    }

    @Test func countsThatOnlyAtoiAcceptsFallBackLikeRedis() throws {
        // string2ll refuses "01" and " 1", so Redis falls back to its atoi-based procedure, which puts a
        // destination key last.
        #expect(try keys("EVAL", "s", "01", "a") == [3])
        #expect(try keys("ZUNIONSTORE", "out", " 2", "a", "b") == [3, 4, 1])
    }

    @Test func keywordSearches() throws {
        #expect(try keys("XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0") == [4, 5])
        #expect(try keys("XREAD", "BLOCK", "0", "streams", "s1", "$") == [4])
        #expect(try keys("XREAD", "STREAMS", "s1", "s2", "0") == [2])
        #expect(try keys("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s1", "s2", ">", ">") == [7, 8])
        #expect(try keys("XREADGROUP", "GROUP", "g", "streams", "STREAMS", "s", ">") == [5])
        #expect(try keys("XREAD", "COUNT", "2") == [])
        #expect(try keys("GEORADIUS", "k", "0", "0", "10", "km", "WITHDIST") == [1])
        #expect(try keys("GEORADIUS", "k", "0", "0", "10", "km", "STORE", "d") == [1, 7])
        #expect(try keys("GEORADIUS", "k", "0", "0", "10", "km", "STORE", "d", "STOREDIST", "e") == [1, 7, 9])
        #expect(try keys("GEORADIUSBYMEMBER", "k", "m", "10", "km", "storedist", "d") == [1, 6])
    }

    @Test func incompleteSpecsUseRedisProcedures() throws {
        #expect(try keys("SORT", "list") == [1])
        #expect(try keys("SORT", "list", "BY", "w_*", "LIMIT", "0", "10", "GET", "o_*", "STORE", "dst") == [1, 10])
        #expect(try keys("SORT", "list", "GET", "store", "STORE", "a", "STORE", "b") == [1, 7])
        #expect(try keys("SORT_RO", "list", "BY", "w_*") == [1])
        #expect(try keys("MIGRATE", "host", "6379", "k", "0", "5000") == [3])
        #expect(try keys("MIGRATE", "host", "6379", "", "0", "5000", "COPY", "REPLACE", "KEYS", "a", "b") == [9, 10])
        #expect(try keys("MIGRATE", "host", "6379", "", "0", "5000", "AUTH", "keys", "KEYS", "a") == [9])
        #expect(try keys("MIGRATE", "host", "6379", "", "0", "5000", "AUTH2", "u", "p", "KEYS", "a") == [10])
        #expect(try keys("MIGRATE", "host", "6379", "k", "0", "5000", "KEYS", "a") == [])
    }

    @Test func notKeysOnlyWhenAskedFor() throws {
        #expect(try keys("SPUBLISH", "channel", "message") == [])
        #expect(try keys("SPUBLISH", "channel", "message", includingNotKeys: true) == [1])
        #expect(try keys("SSUBSCRIBE", "a", "b", includingNotKeys: true) == [1, 2])
    }

    @Test func keyRangeAnswersFromTheArgumentCountAlone() throws {
        let mset = try #require(RESPCommandTable.lookup("MSET"))
        #expect(Array(try #require(mset.keyRange(argumentCount: 5))) == [1, 3])
        let lmove = try #require(RESPCommandTable.lookup("LMOVE"))
        #expect(try #require(lmove.keyRange(argumentCount: 5)) == RESPKeyRange(lowerBound: 1, upperBound: 2, step: 1))
        let bitop = try #require(RESPCommandTable.lookup("BITOP"))
        #expect(Array(try #require(bitop.keyRange(argumentCount: 6))) == [2, 3, 4, 5])
        let del = try #require(RESPCommandTable.lookup("DEL"))
        #expect(try #require(del.keyRange(argumentCount: 1)).isEmpty)
        #expect(RESPCommandTable.lookup("PING")?.keyRange(argumentCount: 1)?.isEmpty == true)
        for movable in ["EVAL", "XREAD", "SORT", "MIGRATE", "ZUNIONSTORE", "GEORADIUS"] {
            #expect(RESPCommandTable.lookup(movable)?.keyRange(argumentCount: 8) == nil, "\(movable)")
        }
    }

    @Test func keyRangeAgreesWithFullExtractionForEveryFixedCommand() throws {
        for spec in RESPCommandTable.allCommands {
            for count in 1...9 {
                guard let range = spec.keyRange(argumentCount: count) else { continue }
                let arguments = (0..<count).map { ByteBuffer(string: "arg\($0)") }
                #expect(spec.keyIndices(in: arguments) == Array(range), "\(spec.name) with \(count) arguments")
            }
        }
    }

    @Test func firstKeyIndex() throws {
        let zunionstore = try #require(RESPCommandTable.lookup("ZUNIONSTORE"))
        let arguments = ["ZUNIONSTORE", "out", "2", "a", "b"].map { ByteBuffer(string: $0) }
        #expect(zunionstore.firstKeyIndex(in: arguments) == 1)
        let eval = try #require(RESPCommandTable.lookup("EVAL"))
        #expect(eval.firstKeyIndex(in: ["EVAL", "s", "0"].map { ByteBuffer(string: $0) }) == nil)
        #expect(eval.firstKeyIndex(in: ["EVAL", "s", "1", "k"].map { ByteBuffer(string: $0) }) == 3)
        // A later invalid spec discards earlier keys, as in Redis.
        #expect(zunionstore.firstKeyIndex(in: ["ZUNIONSTORE", "out", "9", "a"].map { ByteBuffer(string: $0) }) == nil)
    }

    @Test func indicesAreOffsetsFromTheStartOfASlice() throws {
        let words = ["junk", "MGET", "a", "b"].map { ByteBuffer(string: $0) }
        let slice = words[1...]
        let spec = try #require(RESPCommandTable.lookup(arguments: slice))
        #expect(spec.keyIndices(in: slice) == [1, 2])
        let xread = ["junk", "XREAD", "STREAMS", "s", "0"].map { ByteBuffer(string: $0) }[1...]
        #expect(RESPCommandTable.lookup("XREAD")?.keyIndices(in: xread) == [2])
    }

    @Test func reusesTheCallersArray() throws {
        let mget = try #require(RESPCommandTable.lookup("MGET"))
        var indices: [Int] = []
        indices.reserveCapacity(16)
        let capacity = indices.capacity
        mget.keyIndices(in: ["MGET", "a", "b"].map { ByteBuffer(string: $0) }, into: &indices)
        #expect(indices == [1, 2])
        mget.keyIndices(in: ["MGET", "c"].map { ByteBuffer(string: $0) }, into: &indices)
        #expect(indices == [1])
        #expect(indices.capacity == capacity)
    }

    @Test func specsBuiltByHandWorkToo() throws {
        // A module command: JSON.MGET key [key ...] path
        let jsonMGet = RESPCommandSpec(
            name: "json.mget",
            arity: -3,
            flags: [.readonly],
            aclCategories: [.read],
            legacyKeyRange: RESPLegacyKeyRange(firstKey: 1, lastKey: -2, step: 1),
            keySpecs: [
                RESPKeySpec(
                    flags: [.readOnly, .access],
                    beginSearch: .index(1),
                    findKeys: .range(lastKey: -2, step: 1, limit: 0)
                )
            ]
        )
        let arguments = ["JSON.MGET", "a", "b", "$.name"].map { ByteBuffer(string: $0) }
        #expect(jsonMGet.keyIndices(in: arguments) == [1, 2])
        #expect(jsonMGet.keyRange(argumentCount: 4) == RESPKeyRange(lowerBound: 1, upperBound: 2, step: 1))
        #expect(jsonMGet.acceptsArgumentCount(3) && !jsonMGet.acceptsArgumentCount(2))
        #expect(jsonMGet.traits.isEmpty)
        #expect(jsonMGet != RESPCommandTable.lookup("mget"))
    }
}
