import RESPCodec
import Testing

@Suite struct RESPCommandTraitsTests {
    private func names(with trait: RESPCommandTraits) -> Set<String> {
        Set(RESPCommandTable.allCommands.filter { $0.traits.contains(trait) }.map(\.name))
    }

    @Test func splittableMultiKeyCommandsComeFromTheRequestPolicy() {
        #expect(names(with: .multiShard) == ["del", "exists", "mget", "mset", "msetnx", "touch", "unlink"])
    }

    @Test func sessionCommands() {
        #expect(names(with: .transaction) == ["multi", "exec", "discard", "watch", "unwatch"])
        #expect(
            names(with: .subscription) == [
                "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
            ]
        )
        #expect(names(with: .monitor) == ["monitor"])
        let session = names(with: .sessionState)
        #expect(session.isSuperset(of: ["select", "auth", "hello", "client|setname", "reset"]))
        #expect(!session.contains("ping") && !session.contains("client|list"))
    }

    @Test func blockingCommandsComeFromTheFlag() {
        let blocking = names(with: .blocking)
        #expect(blocking.isSuperset(of: ["blpop", "brpop", "blmove", "blmpop", "bzpopmin", "xread", "xreadgroup"]))
        #expect(!blocking.contains("lpop"))
    }

    @Test func keylessAndFanOutCommands() {
        let keyless = names(with: .keyless)
        #expect(keyless.isSuperset(of: ["ping", "dbsize", "flushall", "info", "spublish", "config|get"]))
        #expect(!keyless.contains("get") && !keyless.contains("sort") && !keyless.contains("eval"))
        #expect(names(with: .allShards).isSuperset(of: ["dbsize", "flushall", "keys", "script|load"]))
    }
}
