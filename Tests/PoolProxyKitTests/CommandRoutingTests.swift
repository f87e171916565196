import NIOCore
import RESPCodec
import Testing

@testable import PoolProxyKit

@Suite struct CommandRoutingTests {
    private func command(_ arguments: String...) -> RESPCommandSpec? {
        RESPCommandTable.lookup(arguments: arguments.map { ByteBuffer(string: $0) })
    }

    @Test(arguments: [
        ["MULTI"], ["EXEC"], ["WATCH", "k"], ["SELECT", "1"], ["HELLO", "3"], ["AUTH", "pw"],
        ["CLIENT", "SETNAME", "x"], ["CLIENT", "TRACKING", "on"], ["SUBSCRIBE", "c"], ["PSUBSCRIBE", "c*"],
        ["SSUBSCRIBE", "c"], ["MONITOR"], ["BLPOP", "k", "0"], ["BRPOP", "k", "0"],
        ["BLMOVE", "a", "b", "LEFT", "RIGHT", "0"],
        ["BZPOPMIN", "z", "0"], ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"], ["WAIT", "1", "0"], ["RESET"],
    ])
    func statefulCommandsGetADedicatedConnection(_ arguments: [String]) throws {
        let command = try #require(RESPCommandTable.lookup(arguments: arguments.map { ByteBuffer(string: $0) }))
        #expect(ClientSession.needsDedicatedConnection(command))
    }

    @Test(arguments: [
        ["GET", "k"], ["SET", "k", "v"], ["MGET", "a", "b"], ["INCR", "k"], ["PING"], ["INFO"], ["DBSIZE"],
        ["CLIENT", "ID"], ["CONFIG", "GET", "maxmemory"], ["EVAL", "return 1", "0"], ["PUBLISH", "c", "m"],
        ["SCAN", "0"], ["KEYS", "*"], ["FLUSHALL"],
    ])
    func otherCommandsAreMultiplexed(_ arguments: [String]) throws {
        let command = try #require(RESPCommandTable.lookup(arguments: arguments.map { ByteBuffer(string: $0) }))
        #expect(!ClientSession.needsDedicatedConnection(command))
    }

    @Test func commandClassesAreFewAndMeaningful() {
        #expect(CommandClass(self.command("GET", "k")) == .read)
        #expect(CommandClass(self.command("SET", "k", "v")) == .write)
        #expect(CommandClass(self.command("BLPOP", "k", "0")) == .blocking)
        #expect(CommandClass(self.command("MULTI")) == .transaction)
        #expect(CommandClass(self.command("PUBLISH", "c", "m")) == .pubsub)
        #expect(CommandClass(self.command("FLUSHALL")) == .write)
        #expect(CommandClass(self.command("CONFIG", "SET", "a", "b")) == .admin)
        #expect(CommandClass(nil) == .unknown)
    }

    @Test func errorTextsMatchRedis() {
        let arguments = ["foo", "a", "b"].map { ByteBuffer(string: $0) }
        #expect(
            String(buffer: ProxyReply.unknownCommand(arguments))
                == "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n"
        )
        #expect(String(buffer: ProxyReply.wrongArity("get")) == "-ERR wrong number of arguments for 'get' command\r\n")
    }

    @Test func errorRepliesCannotBreakTheProtocol() {
        let reply = String(buffer: ProxyReply.proxyError("backend said\r\n+OK"))
        #expect(reply == "-ERR pool-proxy: backend said  +OK\r\n")
    }
}
