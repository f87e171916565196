import Foundation
import PoolProxyConfig
import RedisTestSupport
import Testing

/// Idle clients parked without a channel (`client_park_after`), against a real redis-server: they come back with
/// their authentication and protocol, never while something of theirs is in flight, and the idle timeout and
/// the counts still hold.
@Suite("Client parking", .blockingAllowed)
struct ClientParkingTests {
    /// Sockets handed between the blocking threads that use them one after another.
    final class Clients: @unchecked Sendable {
        var sockets: [ProxyRawSocket] = []
    }

    private static func command(_ arguments: String...) -> String {
        var text = "*\(arguments.count)\r\n"
        for argument in arguments { text += "$\(argument.utf8.count)\r\n\(argument)\r\n" }
        return text
    }

    private static func parked(_ harness: ProxyHarness) async -> Int {
        await Self.metric("proxy_parked_clients", harness)
    }

    private static func metric(_ name: String, _ harness: ProxyHarness) async -> Int {
        let exposition = await harness.proxy.prometheusExposition()
        let line = exposition.split(separator: "\n").first { $0.hasPrefix("\(name){pool=\"test\"}") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
    }

    /// Waits until `count` clients are parked; false if that does not happen within five seconds.
    private static func waitUntilParked(_ harness: ProxyHarness, _ count: Int) async throws -> Bool {
        let deadline = ContinuousClock.now + TestTime.scaled(.seconds(5))
        while ContinuousClock.now < deadline {
            if await Self.parked(harness) == count { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test("a parked client comes back authenticated, in RESP3, and is counted once")
    func parkedClientKeepsItsState() async throws {
        let password = "park-Secret-1"
        let clients = Clients()
        try await ProxyHarness.with(configure: {
            $0.clientParkAfter = .milliseconds(100)
            var auth = ClientAuthSettings()
            auth.users = [ClientUser(name: "default", passwordDigest: PasswordDigest(hashing: Array(password.utf8)))]
            $0.clientAuth = auth
        }) { harness in
            let greeting = try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                clients.sockets = [client]
                var replies: [String] = []
                try client.send(Self.command("AUTH", password))
                replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                try client.send(Self.command("HELLO", "3") + Self.command("PING"))
                replies.append(try client.read(until: "+PONG\r\n", timeout: .seconds(5)))
                try client.send(Self.command("HSET", "parked:h", "f", "v"))
                replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                return replies
            }
            #expect(greeting[0] == "+OK\r\n")
            #expect(greeting[1].hasPrefix("%"), "HELLO 3 answers with a RESP3 map")
            #expect(greeting[2] == ":1\r\n")
            #expect(try await Self.waitUntilParked(harness, 1))
            let stats = await harness.proxy.twemproxyStats()
            #expect(stats.currentConnections == 1, "a parked client is still connected")
            #expect(stats.pools[0].clientConnections == 1)

            let afterParking = try await ProxyBlockingThread.run {
                let client = clients.sockets[0]
                try client.send(Self.command("HGETALL", "parked:h"))
                return try client.readLines(5, timeout: .seconds(5))
            }
            #expect(afterParking == ["%1", "$1", "f", "$1", "v"], "still authenticated, still RESP3")
            #expect(try await Self.waitUntilParked(harness, 1), "and parks again")
            let later = await harness.proxy.twemproxyStats()
            #expect(later.currentConnections == 1)
            #expect(later.totalConnections == 1, "coming back is not a new connection")
            #expect(later.pools[0].clientEOF == 0)

            try await ProxyBlockingThread.run { clients.sockets[0].close() }
            #expect(try await Self.waitUntilParked(harness, 0), "hanging up while parked")
            let closed = await harness.proxy.twemproxyStats()
            #expect(closed.currentConnections == 0)
            #expect(closed.pools[0].clientEOF == 1)
        }
    }

    @Test("clients with a dedicated connection or a request in flight do not park")
    func busyClientsDoNotPark() async throws {
        let clients = Clients()
        try await ProxyHarness.with(configure: { $0.clientParkAfter = .milliseconds(50) }) { harness in
            try await ProxyBlockingThread.run {
                let transaction = try ProxyRawSocket(port: harness.port)
                let blocked = try ProxyRawSocket(port: harness.port)
                clients.sockets = [transaction, blocked]
                try transaction.send(Self.command("MULTI") + Self.command("SET", "parked:t", "1"))
                _ = try transaction.readLines(2, timeout: .seconds(5))
                try blocked.send(Self.command("BLPOP", "parked:list", "0"))
            }
            try await Task.sleep(for: .milliseconds(400))
            #expect(await Self.parked(harness) == 0)
            let replies = try await ProxyBlockingThread.run {
                let (transaction, blocked) = (clients.sockets[0], clients.sockets[1])
                try transaction.send(Self.command("EXEC"))
                let exec = try transaction.readLines(2, timeout: .seconds(5))
                let pusher = try ProxyRawSocket(port: harness.port)
                try pusher.send(Self.command("RPUSH", "parked:list", "x"))
                _ = try pusher.read(until: "\r\n", timeout: .seconds(5))
                return exec + (try blocked.readLines(5, timeout: .seconds(5)))
            }
            #expect(replies == ["*1", "+OK", "*2", "$11", "parked:list", "$1", "x"])
        }
    }

    @Test("client_idle_timeout still closes a client that stays silent while parked")
    func idleTimeoutReachesParkedClients() async throws {
        let clients = Clients()
        try await ProxyHarness.with(configure: {
            $0.clientParkAfter = .milliseconds(50)
            $0.clientIdleTimeout = .milliseconds(1_500)
        }) { harness in
            let reply = try await ProxyBlockingThread.run {
                let client = try ProxyRawSocket(port: harness.port)
                clients.sockets = [client]
                try client.send(Self.command("PING"))
                return try client.read(until: "\r\n", timeout: .seconds(5))
            }
            #expect(reply == "+PONG\r\n")
            let closed = try await ProxyBlockingThread.run { try clients.sockets[0].waitForClose(timeout: .seconds(8)) }
            #expect(closed)
            // Counted, rather than watched: on a loaded machine the parked spell may pass between two looks.
            #expect(await Self.metric("proxy_client_parkings_total", harness) >= 1, "it was parked when closed")
            #expect(await Self.parked(harness) == 0)
            #expect(await harness.proxy.twemproxyStats().currentConnections == 0)
        }
    }

    @Test("a hundred parked clients come back with their own replies, and parked ones count towards the limit")
    func manyParkedClients() async throws {
        let clients = Clients()
        // Not more: the suite runs its tests in one process, and Foundation's `Process.run` (redis-cli, in other
        // tests) crashed copying past a buffer once this test's sockets had taken descriptors above 1,024.
        let count = 100
        try await ProxyHarness.with(configure: {
            $0.clientParkAfter = .milliseconds(50)
            $0.clientConnections = count
        }) { harness in
            try await ProxyBlockingThread.run {
                for index in 0..<count {
                    let client = try ProxyRawSocket(port: harness.port)
                    clients.sockets.append(client)
                    try client.send(Self.command("SET", "parked:\(index)", "value-\(index)"))
                    _ = try client.read(until: "\r\n", timeout: .seconds(5))
                }
            }
            #expect(try await Self.waitUntilParked(harness, count))
            let refusal = try await ProxyBlockingThread.run {
                let extra = try ProxyRawSocket(port: harness.port)
                return try extra.read(until: "\r\n", timeout: .seconds(5))
            }
            #expect(refusal == "-ERR max number of clients reached\r\n")
            let replies = try await ProxyBlockingThread.run {
                for (index, client) in clients.sockets.enumerated() {
                    try client.send(Self.command("GET", "parked:\(index)"))
                }
                return try clients.sockets.map { try $0.readLines(2, timeout: .seconds(5)) }
            }
            for (index, reply) in replies.enumerated() {
                #expect(reply == ["$\("value-\(index)".utf8.count)", "value-\(index)"])
            }
            // Counted once each, once they have parked again (a client between two states may be counted twice).
            #expect(try await Self.waitUntilParked(harness, count))
            #expect(await harness.proxy.twemproxyStats().currentConnections == UInt64(count))
        }
    }

    @Test("a shutdown answers every request sent just before it: by parked, by connected, by connecting clients")
    func shutdownAnswersRequestsSentJustBeforeIt() async throws {
        let clients = Clients()
        let (parked, connecting) = (20, 20)
        try await ProxyHarness.with(configure: { $0.clientParkAfter = .milliseconds(50) }) { harness in
            try await ProxyBlockingThread.run {
                for _ in 0..<parked {
                    let client = try ProxyRawSocket(port: harness.port)
                    clients.sockets.append(client)
                    try client.send(Self.command("PING"))
                    _ = try client.read(until: "\r\n", timeout: .seconds(5))
                }
            }
            #expect(try await Self.waitUntilParked(harness, parked))
            try await ProxyBlockingThread.run {
                for index in 0..<parked {
                    try clients.sockets[index].send(Self.command("SET", "drain:\(index)", "v"))
                }
                for index in parked..<(parked + connecting) {
                    let client = try ProxyRawSocket(port: harness.port)
                    clients.sockets.append(client)
                    try client.send(Self.command("SET", "drain:\(index)", "v"))
                }
            }
            // At once: most of these requests are still in sockets, or in the backlog, when the listener closes.
            await harness.proxy.shutdown(gracePeriod: .seconds(5))
            let outcomes = try await ProxyBlockingThread.run {
                try clients.sockets.map { client in
                    (
                        try client.read(until: "\r\n", timeout: .seconds(5)),
                        try client.waitForClose(timeout: .seconds(5))
                    )
                }
            }
            for (index, outcome) in outcomes.enumerated() {
                #expect(outcome.0 == "+OK\r\n", "client \(index)")
                #expect(outcome.1, "client \(index) is closed after its reply")
            }
            let stored = try harness.servers[0].cli(["DBSIZE"])
            #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == String(parked + connecting))
        }
    }
}
