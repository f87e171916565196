import Foundation
import RedisTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `pool-proxy` executable as an operator runs it: configuration errors, `--test-conf`, command-line pools,
/// the admin and stats ports, SIGTERM draining and SIGHUP reloading.
@Suite(
    "pool-proxy process",
    .blockingAllowed,
    .enabled(
        if: ProxyTestPaths.poolProxyExecutable() != nil,
        "pool-proxy is not built next to the tests (or at .build/debug): run `swift build --product pool-proxy`"
    )
)
struct ProxyProcessTests {
    private static let ping = "*1\r\n$4\r\nPING\r\n"

    private var binary: String { ProxyTestPaths.poolProxyExecutable() ?? "/nonexistent/pool-proxy" }

    @Test("a bad configuration file exits non-zero, naming the file, the key and the reason")
    func badConfigurationIsRefused() async throws {
        try await ProxyBlockingThread.perform {
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let badHash = directory.appendingPathComponent("bad-hash.yml")
            try "alpha:\n  listen: 127.0.0.1:22121\n  hash: nosuch\n  servers:\n   - 127.0.0.1:6379:1\n"
                .write(to: badHash, atomically: true, encoding: .utf8)
            let run = try ProxyCommandRunner.run(self.binary, ["--config", badHash.path], timeout: .seconds(20))
            #expect(run.status != 0)
            #expect(run.output.contains(badHash.path), "\(run.output)")
            #expect(run.output.contains("alpha.hash"), "\(run.output)")
            #expect(run.output.contains("unknown hash 'nosuch'"), "\(run.output)")

            let unknownKey = directory.appendingPathComponent("unknown-key.yml")
            try "alpha:\n  listen: 127.0.0.1:22121\n  tcpkeepidle: 5\n  servers:\n   - 127.0.0.1:6379:1\n"
                .write(to: unknownKey, atomically: true, encoding: .utf8)
            let check = try ProxyCommandRunner.run(
                self.binary,
                ["--test-conf", "--config", unknownKey.path],
                timeout: .seconds(20)
            )
            #expect(check.status != 0)
            #expect(check.output.contains(unknownKey.path), "\(check.output)")
            #expect(check.output.contains("unknown key 'tcpkeepidle'"), "\(check.output)")

            let missing = directory.appendingPathComponent("missing.yml").path
            let absent = try ProxyCommandRunner.run(self.binary, ["--config", missing], timeout: .seconds(20))
            #expect(absent.status != 0)
            #expect(absent.output.contains(missing), "\(absent.output)")
        }
    }

    @Test("--test-conf accepts a valid file without starting anything")
    func testConfigurationAcceptsAValidFile() async throws {
        try await ProxyBlockingThread.perform {
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("nutcracker.yml")
            try Self.pools([("alpha", 22121, 6379), ("beta", 22122, 6380)]).write(
                to: file,
                atomically: true,
                encoding: .utf8
            )
            let check = try ProxyCommandRunner.run(self.binary, ["-t", "--config", file.path], timeout: .seconds(20))
            #expect(check.status == 0, "\(check.output)")
            #expect(check.output.contains("valid"), "\(check.output)")
            #expect(check.output.contains("2 pools"), "\(check.output)")
        }
    }

    @Test("--listen/--backend serve clients; --admin serves /metrics, /stats, /health; -s serves the stats JSON")
    func commandLinePoolWithAdminAndStatsPorts() async throws {
        try await ProxyBlockingThread.perform {
            let server = try RedisServer.start()
            defer { server.stop() }
            let (listen, admin, stats) = (
                try RedisServer.freeLoopbackPort(), try RedisServer.freeLoopbackPort(),
                try RedisServer.freeLoopbackPort()
            )
            let proxy = try ProxySpawnedProcess.start(
                self.binary,
                [
                    "--listen", "127.0.0.1:\(listen)", "--backend", "127.0.0.1:\(server.port)", "--admin",
                    "127.0.0.1:\(admin)", "-s", String(stats), "--threads", "2",
                ]
            )
            defer { proxy.kill() }
            try Self.waitUntilServing(port: listen, proxy: proxy)
            let client = try ProxyRawSocket(port: listen)
            try client.send("*3\r\n$3\r\nSET\r\n$4\r\nflag\r\n$2\r\non\r\n*2\r\n$3\r\nGET\r\n$4\r\nflag\r\n")
            #expect(try client.read(until: "on\r\n", timeout: .seconds(5)) == "+OK\r\n$2\r\non\r\n")
            #expect(try server.cli(["GET", "flag"]) == "on\n")

            let endpoints = try ProxyCommandRunner.python(
                "admin_endpoints.py",
                [String(admin), "default", String(stats)],
                timeout: .seconds(30)
            )
            #expect(endpoints.status == 0, "\(endpoints.output)\n\(proxy.standardError)")

            proxy.signal(SIGTERM)
            #expect(proxy.waitForExit(timeout: .seconds(15)) == 0, "\(proxy.standardError)")
        }
    }

    @Test("SIGTERM lets a request in flight finish, then the process exits 0 within the grace period")
    func sigtermDrainsInFlightRequests() async throws {
        try await ProxyBlockingThread.perform {
            let server = try RedisServer.start()
            defer { server.stop() }
            let listen = try RedisServer.freeLoopbackPort()
            let proxy = try ProxySpawnedProcess.start(
                self.binary,
                ["--listen", "127.0.0.1:\(listen)", "--backend", "127.0.0.1:\(server.port)", "--grace-period", "8"]
            )
            defer { proxy.kill() }
            try Self.waitUntilServing(port: listen, proxy: proxy)

            let blocked = try ProxyRawSocket(port: listen)
            try blocked.send("*3\r\n$5\r\nBLPOP\r\n$10\r\ndrain-list\r\n$3\r\n1.5\r\n")
            let idle = try ProxyRawSocket(port: listen)
            try idle.send(Self.ping)
            #expect(try idle.read(until: "\r\n", timeout: .seconds(5)) == "+PONG\r\n")
            #expect(
                Self.waitUntil(timeout: .seconds(5)) {
                    ((try? server.cli(["CLIENT", "LIST"])) ?? "").contains("cmd=blpop")
                }
            )

            let signalled = ContinuousClock.now
            proxy.signal(SIGTERM)
            #expect(try idle.waitForClose(timeout: .seconds(5)), "an idle client is closed at once")
            #expect(
                try blocked.read(until: "\r\n", timeout: .seconds(8)) == "*-1\r\n",
                "the in-flight BLPOP still gets its reply"
            )
            #expect(try blocked.waitForClose(timeout: .seconds(5)))
            let status = proxy.waitForExit(timeout: .seconds(15))
            #expect(status == 0, "\(proxy.standardError)")
            #expect(ContinuousClock.now - signalled < .seconds(8 + 5), "exits within the grace period")
            #expect(!Self.answersPing(port: listen))
        }
    }

    @Test("SIGHUP adds and changes pools, keeps unchanged pools' clients connected, and refuses a broken file")
    func sighupReloads() async throws {
        try await ProxyBlockingThread.perform {
            let first = try RedisServer.start()
            defer { first.stop() }
            let second = try RedisServer.start()
            defer { second.stop() }
            let (alpha, beta) = (try RedisServer.freeLoopbackPort(), try RedisServer.freeLoopbackPort())
            let directory = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("nutcracker.yml")
            try Self.pools([("alpha", alpha, first.port)]).write(to: file, atomically: true, encoding: .utf8)

            let proxy = try ProxySpawnedProcess.start(
                self.binary,
                ["--config", file.path, "--grace-period", "2", "--threads", "2"]
            )
            defer { proxy.kill() }
            try Self.waitUntilServing(port: alpha, proxy: proxy)
            let loyal = try ProxyRawSocket(port: alpha)
            try loyal.send(Self.ping)
            #expect(try loyal.read(until: "\r\n", timeout: .seconds(5)) == "+PONG\r\n")
            #expect(!Self.answersPing(port: beta))

            // Add beta, in front of the second server.
            try Self.pools([("alpha", alpha, first.port), ("beta", beta, second.port)])
                .write(to: file, atomically: true, encoding: .utf8)
            proxy.signal(SIGHUP)
            try Self.waitUntilServing(port: beta, proxy: proxy)
            #expect(try Self.set("added", on: beta) == "+OK\r\n")
            #expect(try second.cli(["GET", "added"]) == "1\n")

            // Point beta at the first server.
            try Self.pools([("alpha", alpha, first.port), ("beta", beta, first.port)])
                .write(to: file, atomically: true, encoding: .utf8)
            proxy.signal(SIGHUP)
            var attempt = 0
            let moved = Self.waitUntil(timeout: .seconds(10)) {
                attempt += 1
                _ = try? Self.set("moved-\(attempt)", on: beta)
                return ((try? first.cli(["GET", "moved-\(attempt)"])) ?? "") == "1\n"
            }
            #expect(moved, "beta now writes to the first server\n\(proxy.standardError)")

            // A broken file is refused; everything keeps serving.
            try "alpha:\n  listen: [unclosed\n".write(to: file, atomically: true, encoding: .utf8)
            proxy.signal(SIGHUP)
            #expect(
                proxy.waitForStandardError(containing: "reload refused", timeout: .seconds(10)),
                "\(proxy.standardError)"
            )
            #expect(try Self.set("after-broken", on: beta) == "+OK\r\n")
            #expect(try Self.set("after-broken", on: alpha) == "+OK\r\n")

            try loyal.send(Self.ping)
            #expect(
                try loyal.read(until: "\r\n", timeout: .seconds(5)) == "+PONG\r\n",
                "the unchanged pool's client stayed connected through three reloads"
            )
            #expect(proxy.isRunning)
            proxy.signal(SIGTERM)
            #expect(proxy.waitForExit(timeout: .seconds(15)) == 0, "\(proxy.standardError)")
        }
    }

    // MARK: - Helpers

    private static func pools(_ pools: [(name: String, listen: Int, server: Int)]) -> String {
        pools.map { pool in
            """
            \(pool.name):
              listen: 127.0.0.1:\(pool.listen)
              hash: fnv1a_64
              distribution: ketama
              redis: true
              servers:
               - 127.0.0.1:\(pool.server):1

            """
        }.joined()
    }

    private static func set(_ key: String, on port: Int) throws -> String {
        let client = try ProxyRawSocket(port: port)
        try client.send("*3\r\n$3\r\nSET\r\n$\(key.utf8.count)\r\n\(key)\r\n$1\r\n1\r\n")
        return try client.read(until: "\r\n", timeout: .seconds(5))
    }

    private static func answersPing(port: Int) -> Bool {
        guard let client = try? ProxyRawSocket(port: port), (try? client.send(Self.ping)) != nil else { return false }
        return (try? client.read(until: "\r\n", timeout: .seconds(2))) == "+PONG\r\n"
    }

    private static func waitUntilServing(port: Int, proxy: ProxySpawnedProcess) throws {
        let up = Self.waitUntil(timeout: .seconds(20)) {
            guard proxy.isRunning else { return true }
            return Self.answersPing(port: port)
        }
        guard up, proxy.isRunning else {
            throw ProxySpawnedProcess.Failure(
                description: "pool-proxy did not serve 127.0.0.1:\(port): \(proxy.standardError)"
            )
        }
    }

    private static func waitUntil(timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        repeat {
            if condition() { return true }
            usleep(20_000)
        } while ContinuousClock.now < deadline
        return false
    }

    private static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pool-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
