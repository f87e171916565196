import NIOCore
import RESPCodec
import Testing

@Suite struct RESPCommandTableTests {
    @Test func looksUpNamesIgnoringCase() throws {
        for spelling in ["get", "GET", "Get", "gEt"] {
            let spec = try #require(RESPCommandTable.lookup(ByteBuffer(string: spelling)))
            #expect(spec.name == "get")
            #expect(RESPCommandTable.lookup(spelling)?.name == "get")
        }
        #expect(RESPCommandTable.lookup("GEORADIUSBYMEMBER_RO")?.name == "georadiusbymember_ro")
    }

    @Test func unknownNamesAreNil() {
        for name in ["", "gett", "ge", "get ", "get\0", "nosuchcommand", String(repeating: "x", count: 40)] {
            #expect(RESPCommandTable.lookup(ByteBuffer(string: name)) == nil, "\(name)")
            #expect(RESPCommandTable.lookup(name) == nil, "\(name)")
        }
    }

    @Test func looksUpOnlyTheReadableBytesOfASlice() throws {
        var buffer = ByteBuffer(string: "xxSETyy")
        buffer.moveReaderIndex(forwardBy: 2)
        let slice = buffer.readSlice(length: 3)!
        #expect(RESPCommandTable.lookup(slice)?.name == "set")
    }

    @Test func everyCommandIsFoundByItsOwnName() throws {
        #expect(RESPCommandTable.commands.count >= 200)
        for command in RESPCommandTable.commands {
            #expect(RESPCommandTable.lookup(ByteBuffer(string: command.name.uppercased()))?.name == command.name)
            for subcommand in command.subcommands {
                #expect(RESPCommandTable.lookup(subcommand.name.uppercased())?.name == subcommand.name)
            }
        }
        #expect(RESPCommandTable.allCommands.count > RESPCommandTable.commands.count)
    }

    @Test func resolvesSubcommandsFromArguments() throws {
        let cases: [([String], String?)] = [
            (["CONFIG", "GET", "maxmemory"], "config|get"),
            (["client", "SetName", "worker"], "client|setname"),
            (["XINFO", "STREAM", "s"], "xinfo|stream"),
            (["OBJECT", "encoding", "k"], "object|encoding"),
            (["CONFIG"], "config"),
            (["CONFIG", "NOSUCH"], nil),
            (["GET", "key"], "get"),
            (["NOSUCH", "x"], nil),
        ]
        for (words, expected) in cases {
            #expect(
                RESPCommandTable.lookup(arguments: words.map { ByteBuffer(string: $0) })?.name == expected,
                "\(words)"
            )
        }
        let config = try #require(RESPCommandTable.lookup("config"))
        #expect(config.subcommand("Set")?.name == "config|set")
        #expect(config.subcommand(ByteBuffer(string: "REWRITE"))?.name == "config|rewrite")
        #expect(config.subcommand("nosuch") == nil)
        #expect(RESPCommandTable.lookup("get")?.subcommand("x") == nil)
    }

    @Test func readsTheCommandOfARequestFrameInPlace() throws {
        func command(_ frame: String) throws -> String? {
            let token = try #require(try RESPToken(validating: ByteBuffer(string: frame)), "\(frame.debugDescription)")
            return RESPCommandTable.lookup(commandOf: token)?.name
        }
        #expect(try command("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") == "get")
        #expect(try command("*1\r\n$4\r\nping\r\n") == "ping")
        #expect(try command("*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$1\r\n*\r\n") == "config")
        #expect(try command("*12\r\n$4\r\nMGET\r\n" + String(repeating: "$1\r\nk\r\n", count: 11)) == "mget")
        #expect(try command("*1\r\n$6\r\nNOSUCH\r\n") == nil)
        #expect(try command("*1\r\n$0\r\n\r\n") == nil)
        #expect(try command("*0\r\n") == nil)
        #expect(try command("*-1\r\n") == nil)
        #expect(try command("*1\r\n:3\r\n") == nil)
        #expect(try command("$3\r\nGET\r\n") == nil)
        #expect(try command("+GET\r\n") == nil)
        // Every command of the table, as a request frame, finds itself.
        for spec in RESPCommandTable.commands {
            #expect(try command("*1\r\n$\(spec.name.utf8.count)\r\n\(spec.name.uppercased())\r\n") == spec.name)
        }
    }

    @Test func readsTheHeadOfARequestFrameInPlace() throws {
        func head(_ frame: String) throws -> RESPRequestHead? {
            let token = try #require(try RESPToken(validating: ByteBuffer(string: frame)), "\(frame.debugDescription)")
            return RESPCommandTable.head(of: token)
        }
        let set = try #require(try head("*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$1\r\nv\r\n"))
        #expect(set.argumentCount == 3)
        #expect(set.command?.name == "set")
        #expect(set.firstArgument == ByteBuffer(string: "key:1"))
        let ping = try #require(try head("*1\r\n$4\r\nPING\r\n"))
        #expect(ping.argumentCount == 1 && ping.command?.name == "ping" && ping.firstArgument == nil)
        // An empty first argument is an argument; an unknown name still has a head.
        #expect(try head("*2\r\n$3\r\nGET\r\n$0\r\n\r\n")?.firstArgument == ByteBuffer())
        let unknown = try #require(try head("*2\r\n$6\r\nNOSUCH\r\n$1\r\nk\r\n"))
        #expect(unknown.command == nil && unknown.firstArgument == ByteBuffer(string: "k"))
        #expect(try head("*2\r\n$3\r\nGET\r\n:1\r\n") == nil)
        #expect(try head("*0\r\n") == nil)
        #expect(try head("$3\r\nGET\r\n") == nil)
        // The slice is the request's own bytes, whatever the buffer's reader index.
        var shifted = ByteBuffer(string: "xx*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        shifted.moveReaderIndex(forwardBy: 2)
        let token = try #require(try RESPToken(validating: shifted))
        #expect(RESPCommandTable.head(of: token)?.firstArgument == ByteBuffer(string: "k"))
    }

    @Test func arityMatchesRedis() throws {
        let get = try #require(RESPCommandTable.lookup("GET"))
        #expect(get.arity == 2)
        #expect(get.acceptsArgumentCount(2))
        #expect(!get.acceptsArgumentCount(3))
        let set = try #require(RESPCommandTable.lookup("SET"))
        #expect(set.arity == -3)
        #expect(!set.acceptsArgumentCount(2))
        #expect(set.acceptsArgumentCount(3) && set.acceptsArgumentCount(8))
        #expect(RESPCommandTable.lookup("config|get")?.arity == -3)
        #expect(RESPCommandTable.lookup("client|setname")?.arity == 3)
        #expect(RESPCommandTable.lookup("ping")?.arity == -1)
    }

    @Test func flagsAndCategoriesOfWellKnownCommands() throws {
        let get = try #require(RESPCommandTable.lookup("get"))
        #expect(get.flags == [.readonly, .fast])
        #expect(get.aclCategories == [.read, .string, .fast])
        #expect(get.group == .string)
        #expect(get.summary == "Get the value of a key")

        let set = try #require(RESPCommandTable.lookup("set"))
        #expect(set.flags.contains([.write, .denyOOM]))
        #expect(!set.flags.contains(.readonly))

        let blpop = try #require(RESPCommandTable.lookup("blpop"))
        #expect(blpop.flags.contains([.write, .blocking]))
        #expect(blpop.aclCategories.contains(.blocking))

        let subscribe = try #require(RESPCommandTable.lookup("subscribe"))
        #expect(subscribe.flags.contains([.pubsub, .noScript]))

        let flushall = try #require(RESPCommandTable.lookup("flushall"))
        #expect(flushall.aclCategories.contains([.keyspace, .write, .dangerous]))
        #expect(flushall.requestPolicy == .allShards)
        #expect(flushall.responsePolicy == .allSucceeded)

        let eval = try #require(RESPCommandTable.lookup("eval"))
        #expect(eval.flags.contains([.noScript, .movableKeys]))
        #expect(eval.legacyKeyRange == RESPLegacyKeyRange(firstKey: 0, lastKey: 0, step: 0))

        let mset = try #require(RESPCommandTable.lookup("mset"))
        #expect(mset.legacyKeyRange == RESPLegacyKeyRange(firstKey: 1, lastKey: -1, step: 2))
        #expect(mset.requestPolicy == .multiShard)

        #expect(RESPCommandTable.lookup("config|set")?.flags.contains(.admin) == true)
        #expect(RESPCommandTable.lookup("zadd")?.group == .sortedSet)
        #expect(RESPCommandTable.lookup("keys")?.tips.contains("nondeterministic_output_order") == true)
    }

    @Test func keySpecsAreTheGeneratedRedisOnes() throws {
        let zunionstore = try #require(RESPCommandTable.lookup("zunionstore"))
        #expect(
            zunionstore.keySpecs == [
                RESPKeySpec(
                    flags: [.overwrite, .update],
                    beginSearch: .index(1),
                    findKeys: .range(lastKey: 0, step: 1, limit: 0)
                ),
                RESPKeySpec(
                    flags: [.readOnly, .access],
                    beginSearch: .index(2),
                    findKeys: .keyNumber(index: 0, firstKey: 1, step: 1)
                ),
            ]
        )
        let xread = try #require(RESPCommandTable.lookup("xread"))
        #expect(xread.keySpecs.map(\.beginSearch) == [.keyword("STREAMS", startFrom: 1)])
        #expect(xread.keySpecs.map(\.findKeys) == [.range(lastKey: -1, step: 1, limit: 2)])
        let migrate = try #require(RESPCommandTable.lookup("migrate"))
        #expect(migrate.keySpecs.last?.flags.contains(.incomplete) == true)
        #expect(migrate.keySpecs.last?.beginSearch == .keyword("KEYS", startFrom: -2))
        #expect(RESPCommandTable.lookup("spublish")?.keySpecs.first?.flags == [.notKey])
    }

    @Test func theTableCameFromRedis7() {
        #expect(RESPCommandTable.redisVersion.hasPrefix("7."))
    }
}
