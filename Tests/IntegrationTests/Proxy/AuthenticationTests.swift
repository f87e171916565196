import Foundation
import PoolProxyConfig
import RedisTestSupport
import Testing

/// Client authentication at the proxy (client_auth users, twemproxy's redis_auth) and the proxy's own ACL
/// credentials towards real redis-servers that require them.
@Suite("Client and backend authentication", .blockingAllowed)
struct AuthenticationTests {
    private static let appPassword = "app-Secret-1"
    private static let backendPassword = "backend-Secret-2"
    /// A backend where only the ACL user `proxy` may log in: the default user is off.
    private static let aclBackend = [
        "--user", "proxy", "on", ">\(backendPassword)", "~*", "&*", "+@all", "--user", "default", "off",
    ]

    private static func requireClients(_ pool: inout ServerPoolConfiguration, failureDelay: Duration = .zero) {
        var auth = ClientAuthSettings()
        auth.users = [ClientUser(name: "app", passwordDigest: PasswordDigest(hashing: Array(appPassword.utf8)))]
        auth.failureDelay = failureDelay
        pool.clientAuth = auth
        pool.backendAuth = BackendAuthSettings(username: "proxy", password: backendPassword)
    }

    private static func command(_ arguments: String...) -> String {
        var text = "*\(arguments.count)\r\n"
        for argument in arguments { text += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        return text
    }

    @Test("before AUTH only AUTH, HELLO, PING and QUIT run; then the client works with the proxy's ACL user")
    func unauthenticatedClientsMayOnlyAuthenticate() async throws {
        let log = CapturedLog()
        let replies = try await ProxyHarness.with(
            redisArguments: Self.aclBackend,
            logger: log.logger(level: .trace),
            configure: { Self.requireClients(&$0) }
        ) { harness in
            let replies = try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                var replies: [String] = []
                for request in [
                    Self.command("GET", "k"), Self.command("PING"), Self.command("HELLO", "3"),
                    Self.command("AUTH", "app", "wrong"), Self.command("AUTH", Self.appPassword),
                    Self.command("AUTH", "app", Self.appPassword), Self.command("SET", "k", "v"),
                    Self.command("GET", "k"),
                ] {
                    try client.send(request)
                    replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                }
                return replies
            }
            let stored = try harness.servers[0].cli(["--user", "proxy", "--pass", Self.backendPassword, "GET", "k"])
            return replies + [stored]
        }
        #expect(replies[0] == "-NOAUTH Authentication required.\r\n")
        #expect(replies[1] == "+PONG\r\n")
        #expect(replies[2].hasPrefix("-NOAUTH HELLO must be called with the client already authenticated"))
        #expect(replies[3] == "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
        #expect(replies[4].hasPrefix("-WRONGPASS"), "plain AUTH checks the user 'default', which does not exist here")
        #expect(replies[5] == "+OK\r\n")
        #expect(replies[6] == "+OK\r\n")
        #expect(replies[7].hasPrefix("$1\r\n"))
        #expect(replies[8] == "v\n", "the write reached the backend through the proxy's own ACL user")
        #expect(log.text.contains("client authentication failed"))
        #expect(
            !log.text.contains(Self.appPassword) && !log.text.contains(Self.backendPassword)
                && !log.text.contains("wrong")
        )
    }

    @Test("HELLO 3 AUTH user pass authenticates and switches the client to RESP3")
    func helloWithAuthentication() async throws {
        let replies = try await ProxyHarness.with(
            redisArguments: Self.aclBackend,
            configure: { Self.requireClients(&$0) }
        ) { harness in
            try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                try client.send(Self.command("HELLO", "3", "AUTH", "app", Self.appPassword))
                let hello = try client.read(until: "proto", timeout: .seconds(5))
                usleep(100_000)
                _ = try? client.read(until: "\u{0}", timeout: .milliseconds(200))
                try client.send(Self.command("GET", "missing"))
                let null = try client.read(until: "\r\n", timeout: .seconds(5))
                return [hello, null]
            }
        }
        #expect(replies[0].hasPrefix("%"), "a RESP3 map: \(replies[0])")
        #expect(replies[1] == "_\r\n", "RESP3 null")
    }

    @Test("twemproxy's redis_auth: clients AUTH with it, and it is the backend password")
    func redisAuthKeepsTwemproxyMeaning() async throws {
        let replies = try await ProxyHarness.with(
            redisArguments: ["--requirepass", "twem-pw"],
            configure: { $0.redisAuth = "twem-pw" }
        ) { harness in
            try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                var replies: [String] = []
                for request in [
                    Self.command("SET", "a", "1"), Self.command("AUTH", "twem-pw"), Self.command("INCR", "a"),
                ] {
                    try client.send(request)
                    replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                }
                return replies
            }
        }
        #expect(replies == ["-NOAUTH Authentication required.\r\n", "+OK\r\n", ":1\r\n"])
    }

    @Test("failed AUTHs are counted, delayed one at a time, and logged without the password; neighbours carry on")
    func bruteForceIsCountedAndDelayed() async throws {
        struct Observed: Sendable {
            var replies: [String] = []
            var elapsed: Duration = .zero
            var neighbour = ""
        }
        let (observed, metrics, stats) = try await ProxyHarness.with(
            redisArguments: Self.aclBackend,
            configure: { Self.requireClients(&$0, failureDelay: .milliseconds(100)) }
        ) { harness in
            let observed = try await ProxyBlockingThread.run {
                var observed = Observed()
                let neighbour = try ProxyRawSocket(port: harness.port)
                try neighbour.send(Self.command("AUTH", "app", Self.appPassword))
                _ = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                let guesser = try ProxyRawSocket(port: harness.port)
                let start = ContinuousClock.now
                var burst = ""
                for guess in 0..<5 { burst += Self.command("AUTH", "app", "guess-\(guess)") }
                burst += Self.command("AUTH", "app", Self.appPassword)
                try guesser.send(burst)
                try neighbour.send(Self.command("PING"))
                observed.neighbour = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                observed.replies = try guesser.readLines(6, timeout: .seconds(10))
                observed.elapsed = ContinuousClock.now - start
                return observed
            }
            return (observed, await harness.proxy.prometheusExposition(), "\(await harness.proxy.twemproxyStats())")
        }
        #expect(observed.neighbour == "+PONG\r\n")
        #expect(observed.replies.count == 6)
        #expect(observed.replies.prefix(5).allSatisfy { $0.hasPrefix("-WRONGPASS") })
        #expect(observed.replies.last == "+OK")
        #expect(observed.elapsed >= .milliseconds(450), "each failure held back 100 ms, one after another")
        #expect(metrics.contains("proxy_auth_failures_total{pool=\"test\"} 5"))
        #expect(
            !metrics.contains("guess-") && !metrics.contains(Self.backendPassword)
                && !stats.contains(Self.backendPassword)
        )
    }

    @Test("oversize or over-long requests before AUTH are refused and closed; an authenticated neighbour carries on")
    func oversizeRequestsBeforeAuthentication() async throws {
        let observed = try await ProxyHarness.with(
            redisArguments: Self.aclBackend,
            configure: { Self.requireClients(&$0) }
        ) { harness in
            try await ProxyBlockingThread.run {
                let neighbour = try ProxyRawSocket(port: harness.port)
                try neighbour.send(Self.command("AUTH", "app", Self.appPassword))
                _ = try neighbour.read(until: "\r\n", timeout: .seconds(5))

                let huge = try ProxyRawSocket(port: harness.port)
                try huge.send("*3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$100000\r\n")
                let hugeReply = try huge.read(until: "\r\n", timeout: .seconds(5))
                let hugeClosed = try huge.waitForClose(timeout: .seconds(5))

                let long = try ProxyRawSocket(port: harness.port)
                try long.send("*50\r\n")
                let longReply = try long.read(until: "\r\n", timeout: .seconds(5))
                let longClosed = try long.waitForClose(timeout: .seconds(5))

                // The same sizes are fine once authenticated.
                let value = String(repeating: "x", count: 100_000)
                try neighbour.send(Self.command("SET", "big", value))
                let stored = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                return [hugeReply, "\(hugeClosed)", longReply, "\(longClosed)", stored]
            }
        }
        #expect(observed[0].hasPrefix("-ERR Protocol error"), "\(observed[0])")
        #expect(observed[1] == "true")
        #expect(observed[2].hasPrefix("-ERR Protocol error"), "\(observed[2])")
        #expect(observed[3] == "true")
        #expect(observed[4] == "+OK\r\n")
    }

    @Test("a backend that refuses the proxy's credentials fails fast, is logged, turns unhealthy, and is not hammered")
    func backendRejectsProxyCredentials() async throws {
        let log = CapturedLog()
        let ((replies, slowest), connections, turnedUnhealthy) = try await ProxyHarness.with(
            redisArguments: Self.aclBackend,
            logger: log.logger(level: .info),
            configure: { $0.backendAuth = BackendAuthSettings(username: "proxy", password: "not-the-password") }
        ) { harness in
            let auth = ["--user", "proxy", "--pass", Self.backendPassword]
            let before = try Self.connectionsReceived(harness, auth: auth)
            let replies = try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                var replies: [String] = []
                var slowest = Duration.zero
                for _ in 0..<30 {
                    let start = ContinuousClock.now
                    try client.send(Self.command("GET", "k"))
                    replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                    slowest = max(slowest, ContinuousClock.now - start)
                }
                return (replies, slowest)
            }
            let connections = try Self.connectionsReceived(harness, auth: auth) - before
            // The health checks log in with the same credentials, so the backend turns unhealthy too.
            let unhealthy = "backend_healthy{pool=\"test\",backend=\"127.0.0.1:\(harness.servers[0].port)\"} 0"
            var turnedUnhealthy = false
            let deadline = ContinuousClock.now + .seconds(10)
            while !turnedUnhealthy && ContinuousClock.now < deadline {
                turnedUnhealthy = await harness.proxy.prometheusExposition().contains(unhealthy)
                if !turnedUnhealthy { try await Task.sleep(for: .milliseconds(100)) }
            }
            return (replies, connections, turnedUnhealthy)
        }
        #expect(replies.count == 30)
        // Fail fast: a refused set-up is answered at once, and later requests do not wait for a connect timeout.
        #expect(slowest < TestTime.scaled(.seconds(1)), "slowest refusal took \(slowest)")
        #expect(
            replies.allSatisfy {
                $0.hasPrefix("-ERR pool-proxy: backend") && $0.contains("AUTH was refused: WRONGPASS")
            }
        )
        #expect(connections < 40, "backoff keeps reconnects few: \(connections) for \(replies.count) requests")
        #expect(log.text.contains("backend refused the connection set-up"))
        #expect(turnedUnhealthy, "the health checks, which use the same credentials, mark the backend unhealthy")
        #expect(!log.text.contains("not-the-password") && !replies.joined().contains("not-the-password"))
    }

    private static func connectionsReceived(_ harness: ProxyHarness, auth: [String]) throws -> Int {
        let info = try harness.servers[0].cli(auth + ["INFO", "stats"])
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total_connections_received:") }
        return Int(line?.split(separator: ":").last ?? "") ?? 0
    }
}
