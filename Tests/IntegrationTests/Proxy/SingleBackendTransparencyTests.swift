import Foundation
import RedisTestSupport
import Testing

/// Through a one-backend pool a client cannot tell pool-proxy from Redis: real clients (Python redis, redis-cli,
/// redis-benchmark) against a real redis-server, directly and through the in-process proxy.
@Suite("Single-backend transparency", .blockingAllowed)
struct SingleBackendTransparencyTests {
    @Test("every command, error text, RESP3, SELECT, MULTI/WATCH, blocking command, pub/sub and MONITOR match Redis")
    func pythonClientSeesNoDifference() async throws {
        let result = try await ProxyHarness.with { harness in
            try await ProxyBlockingThread.run {
                try ProxyCommandRunner.python(
                    "transparency.py",
                    [String(harness.servers[0].port), String(harness.port)],
                    timeout: .seconds(90)
                )
            }
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"), "\(result.output)")
    }

    @Test("200 concurrent clients get the right replies over a handful of backend connections")
    func manyClientsShareFewBackendConnections() async throws {
        let result = try await ProxyHarness.with { harness in
            try await ProxyBlockingThread.run {
                try ProxyCommandRunner.python(
                    "many_clients.py",
                    [String(harness.port), String(harness.servers[0].port), "200", "5"],
                    timeout: .seconds(90)
                )
            }
        }
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("200 concurrent RESP3 (HELLO 3) clients are multiplexed too")
    func manyRESP3ClientsShareFewBackendConnections() async throws {
        let result = try await ProxyHarness.with { harness in
            try await ProxyBlockingThread.run {
                try ProxyCommandRunner.python(
                    "many_clients.py",
                    [String(harness.port), String(harness.servers[0].port), "200", "5", "3"],
                    timeout: .seconds(90)
                )
            }
        }
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("redis-benchmark with 50 clients and pipelines of 16 completes without errors")
    func redisBenchmarkRunsClean() async throws {
        let (result, keys) = try await ProxyHarness.with { harness in
            try await ProxyBlockingThread.run {
                let result = try ProxyCommandRunner.run(
                    "redis-benchmark",
                    [
                        "-h", "127.0.0.1", "-p", String(harness.port), "-q", "-n", "20000", "-c", "50", "-P", "16",
                        "-t", "set,get",
                    ],
                    timeout: .seconds(90)
                )
                return (result, try harness.cli(["DBSIZE"]))
            }
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SET:"), "\(result.output)")
        #expect(result.output.contains("GET:"), "\(result.output)")
        #expect(!result.output.localizedCaseInsensitiveContains("error"), "\(result.output)")
        // Without -r, the benchmark writes the one key `key:__rand_int__`.
        #expect(keys.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test("redis-cli output through the proxy equals redis-cli output straight from Redis")
    func redisCLISeesNoDifference() async throws {
        let commands: [[String]] = [
            ["SET", "cli-key", "value"], ["GET", "cli-key"], ["LPUSH", "cli-list", "a"], ["GET", "cli-list"],
            ["NOSUCHCOMMAND", "arg"], ["GET"], ["HSET", "cli-hash", "f", "1"], ["HGETALL", "cli-hash"],
            ["SELECT", "3"], ["DEL", "cli-key", "cli-list", "cli-hash"], ["DBSIZE"],
        ]
        let (direct, proxied) = try await ProxyHarness.with { harness in
            try await ProxyBlockingThread.run {
                let server = harness.servers[0]
                let direct = try commands.map { try server.cli($0) }
                _ = try server.cli(["FLUSHALL"])
                return (direct, try commands.map { try harness.cli($0) })
            }
        }
        for (index, command) in commands.enumerated() {
            #expect(proxied[index] == direct[index], "\(command.joined(separator: " "))")
        }
    }

    @Test("garbage on one connection gets Redis's protocol error and a close; a pipelining neighbour is unaffected")
    func malformedInputClosesOnlyThatClient() async throws {
        struct Observed: Sendable {
            var redisReply = ""
            var reply = ""
            var closed = false
            var pongs: [String] = []
            var echo = ""
        }
        let garbage = "*2\r\n$abc\r\n"
        let observed = try await ProxyHarness.with { harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let direct = try ProxyRawSocket(port: harness.servers[0].port)
                try direct.send(garbage)
                observed.redisReply = try direct.read(until: "\r\n", timeout: .seconds(5))

                let neighbour = try ProxyRawSocket(port: harness.port)
                let ping = "*1\r\n$4\r\nPING\r\n"
                try neighbour.send(String(repeating: ping, count: 500))
                let bad = try ProxyRawSocket(port: harness.port)
                try bad.send(garbage)
                try neighbour.send(String(repeating: ping, count: 500))

                observed.reply = try bad.read(until: "\r\n", timeout: .seconds(5))
                observed.closed = try bad.waitForClose(timeout: .seconds(5))
                observed.pongs = try neighbour.readLines(1000, timeout: .seconds(20))
                try neighbour.send("*2\r\n$4\r\nECHO\r\n$5\r\nstill\r\n")
                observed.echo = try neighbour.read(until: "still\r\n", timeout: .seconds(5))
                return observed
            }
        }
        #expect(observed.reply.hasPrefix("-ERR Protocol error"), "\(observed.reply)")
        #expect(observed.reply == observed.redisReply, "the same text as Redis")
        #expect(observed.closed, "the offending client is closed")
        #expect(observed.pongs.count == 1000)
        #expect(observed.pongs.allSatisfy { $0 == "+PONG" })
        #expect(observed.echo == "$5\r\nstill\r\n")
    }
}
