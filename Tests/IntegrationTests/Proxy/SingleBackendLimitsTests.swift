import Foundation
import RedisTestSupport
import Testing

/// The per-client limits of a pool: client_connections, client_idle_timeout, and the back-pressure that keeps a
/// client that pipelines without reading from growing the proxy's memory.
@Suite("Single-backend limits", .blockingAllowed)
struct SingleBackendLimitsTests {
    private static let ping = "*1\r\n$4\r\nPING\r\n"

    @Test("past client_connections a client gets Redis's max-clients error; a freed slot is reusable")
    func maximumClients() async throws {
        struct Observed: Sendable {
            var admittedReplies: [String] = []
            var refusal = ""
            var refusedClosed = false
            var stillServed = ""
            var slotReused = false
        }
        let observed = try await ProxyHarness.with(configure: { $0.clientConnections = 2 }) { harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let first = try ProxyRawSocket(port: harness.port)
                let second = try ProxyRawSocket(port: harness.port)
                for client in [first, second] {
                    try client.send(Self.ping)
                    observed.admittedReplies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                }
                let third = try ProxyRawSocket(port: harness.port)
                observed.refusal = try third.read(until: "\r\n", timeout: .seconds(5))
                observed.refusedClosed = try third.waitForClose(timeout: .seconds(5))
                try second.send(Self.ping)
                observed.stillServed = try second.read(until: "\r\n", timeout: .seconds(5))

                first.close()
                let deadline = ContinuousClock.now + .seconds(5)
                while !observed.slotReused && ContinuousClock.now < deadline {
                    let next = try ProxyRawSocket(port: harness.port)
                    try next.send(Self.ping)
                    observed.slotReused = try next.read(until: "\r\n", timeout: .seconds(2)) == "+PONG\r\n"
                    if !observed.slotReused { usleep(20_000) }
                }
                return observed
            }
        }
        #expect(observed.admittedReplies == ["+PONG\r\n", "+PONG\r\n"])
        #expect(observed.refusal == "-ERR max number of clients reached\r\n")
        #expect(observed.refusedClosed)
        #expect(observed.stillServed == "+PONG\r\n", "admitted clients carry on")
        #expect(observed.slotReused, "a client is admitted once another leaves")
    }

    @Test("client_idle_timeout closes idle clients, but not busy ones nor one waiting on a blocking command")
    func idleClientsAreClosed() async throws {
        struct Observed: Sendable {
            var firstReply = ""
            var busyAnswered = 0
            var busyLast = ""
            var idleClosed = false
            var blockedReply = ""
            var blockedClosed = false
        }
        let observed = try await ProxyHarness.with(configure: { $0.clientIdleTimeout = .milliseconds(400) }) {
            harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let idle = try ProxyRawSocket(port: harness.port)
                try idle.send(Self.ping)
                observed.firstReply = try idle.read(until: "\r\n", timeout: .seconds(5))

                let blocked = try ProxyRawSocket(port: harness.port)
                try blocked.send("*3\r\n$5\r\nBLPOP\r\n$12\r\nnever-pushed\r\n$3\r\n1.5\r\n")

                let busy = try ProxyRawSocket(port: harness.port)
                let busyUntil = ContinuousClock.now + .milliseconds(1_200)
                while ContinuousClock.now < busyUntil {
                    try busy.send(Self.ping)
                    if try busy.read(until: "\r\n", timeout: .seconds(2)) == "+PONG\r\n" { observed.busyAnswered += 1 }
                    usleep(40_000)
                }
                try busy.send(Self.ping)
                observed.busyLast = try busy.read(until: "\r\n", timeout: .seconds(2))

                observed.idleClosed = try idle.waitForClose(timeout: .seconds(5))
                observed.blockedReply = try blocked.read(until: "\r\n", timeout: .seconds(5))
                observed.blockedClosed = try blocked.waitForClose(timeout: .seconds(5))
                return observed
            }
        }
        #expect(observed.firstReply == "+PONG\r\n")
        #expect(observed.busyAnswered > 5)
        #expect(observed.busyLast == "+PONG\r\n", "a busy client stays connected")
        #expect(observed.idleClosed, "an idle client is closed")
        #expect(
            observed.blockedReply == "*-1\r\n",
            "a client inside BLPOP gets its reply though it sent nothing for longer than the timeout"
        )
        #expect(observed.blockedClosed, "and is closed once idle")
    }

    @Test("a client that pipelines thousands of requests and never reads is paused or dropped; others carry on")
    func floodingClientIsBounded() async throws {
        struct Observed: Sendable {
            var setup = ""
            var outcome = "still sending"
            var accepted = 0
            var others: [String] = []
            var cliPing = ""
            var afterFlood = ""
        }
        // Requests the proxy accepts are bounded by what the kernels buffer plus client_max_pending.
        let bound = 256 * 1024 * 1024
        let observed = try await ProxyHarness.with(configure: {
            $0.clientMaxPending = 64
            $0.clientMaxOutputBytes = 4 * 1024 * 1024
        }) { harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let value = String(repeating: "v", count: 16 * 1024)
                let setup = try ProxyRawSocket(port: harness.port)
                try setup.send("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$\(value.utf8.count)\r\n\(value)\r\n")
                observed.setup = try setup.read(until: "\r\n", timeout: .seconds(5))

                let flood = try ProxyRawSocket(port: harness.port, receiveBufferSize: 4096)
                let chunk = Array(String(repeating: "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", count: 1000).utf8)
                var pending = chunk[...]
                var stalledSince: ContinuousClock.Instant?
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline && observed.accepted < bound {
                    switch flood.sendWithoutBlocking(Array(pending)) {
                    case .closed:
                        observed.outcome = "dropped"
                    case .sent(0):
                        let since = stalledSince ?? ContinuousClock.now
                        stalledSince = since
                        if ContinuousClock.now - since > .milliseconds(500) { observed.outcome = "paused" }
                        usleep(5_000)
                    case .sent(let count):
                        stalledSince = nil
                        observed.accepted += count
                        pending = pending.dropFirst(count)
                        if pending.isEmpty { pending = chunk[...] }
                    }
                    if observed.outcome != "still sending" { break }
                }

                let other = try ProxyRawSocket(port: harness.port)
                for _ in 0..<3 {
                    try other.send("*2\r\n$6\r\nSTRLEN\r\n$3\r\nbig\r\n")
                    observed.others.append(try other.read(until: "\r\n", timeout: .seconds(5)))
                }
                observed.cliPing = try harness.cli(["PING"])
                flood.close()
                try other.send(Self.ping)
                observed.afterFlood = try other.read(until: "\r\n", timeout: .seconds(5))
                return observed
            }
        }
        #expect(observed.setup == "+OK\r\n")
        #expect(
            observed.outcome == "paused" || observed.outcome == "dropped",
            "after \(observed.accepted) bytes sent: \(observed.outcome)"
        )
        #expect(observed.accepted < bound)
        #expect(observed.others == [":16384\r\n", ":16384\r\n", ":16384\r\n"], "other clients are served meanwhile")
        #expect(observed.cliPing == "PONG\n")
        #expect(observed.afterFlood == "+PONG\r\n")
    }
}
