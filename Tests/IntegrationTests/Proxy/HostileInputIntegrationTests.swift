import Foundation
import RedisTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Clients that attack the proxy rather than use it: a slowloris, a pipeline that is never read, bulk strings
/// longer than the pool allows, and a storm of connects and disconnects. Each runs against the in-process proxy,
/// whose memory and file descriptors are this process's, with a neighbour client that must be served meanwhile.
@Suite("Hostile input", .blockingAllowed, .serialized)
struct HostileInputIntegrationTests {
    private static let ping = "*1\r\n$4\r\nPING\r\n"

    @Test("a slowloris sending one byte a second is reaped by client_idle_timeout, not by a protocol error")
    func slowlorisIsReaped() async throws {
        struct Observed: Sendable {
            var bytesSent = 0
            var closedAfter: Duration?
            var received = ""
            var neighbour: [String] = []
        }
        let observed = try await ProxyHarness.with(configure: { $0.clientIdleTimeout = .seconds(2) }) { harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let neighbour = try ProxyRawSocket(port: harness.port)
                let slow = try SlowClient(port: harness.port)
                // A valid request, so that only its pace can get it closed.
                let request = Array("*3\r\n$3\r\nSET\r\n$4\r\nslow\r\n$10\r\n0123456789\r\n".utf8)
                let start = ContinuousClock.now
                for byte in request {
                    guard slow.send(byte) else { break }
                    observed.bytesSent += 1
                    // One byte a second: each read comes well inside the timeout, so only the request's age counts.
                    let (received, closed) = slow.receive(for: .seconds(1))
                    observed.received += received
                    if closed {
                        observed.closedAfter = ContinuousClock.now - start
                        break
                    }
                    try neighbour.send(Self.ping)
                    observed.neighbour.append(try neighbour.read(until: "\r\n", timeout: .seconds(5)))
                }
                return observed
            }
        }
        let closedAfter = try #require(observed.closedAfter, "still open after \(observed.bytesSent) bytes")
        print(
            "slowloris: closed after \(closedAfter), \(observed.bytesSent) bytes sent, received \(observed.received.debugDescription)"
        )
        #expect(closedAfter >= .seconds(2), "not before client_idle_timeout")
        #expect(observed.bytesSent < 10, "reaped a few seconds in, not once the request was whole")
        #expect(observed.received.isEmpty, "closed silently, as an idle client, without a protocol error")
        #expect(!observed.neighbour.isEmpty && observed.neighbour.allSatisfy { $0 == "+PONG\r\n" })
    }

    @Test("a client that pipelines a huge volume and never reads leaves the proxy's memory bounded")
    func neverReadingPipelineIsBounded() async throws {
        struct Observed: Sendable {
            var setup = ""
            var accepted = 0
            var peakGrowth = 0
            var dropped = false
            var neighbour: [String] = []
            var afterFlood = ""
        }
        let valueSize = 64 * 1024
        let observed = try await ProxyHarness.with(configure: {
            $0.clientMaxPending = 128
            $0.clientMaxOutputBytes = 8 * 1024 * 1024
        }) { harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let value = String(repeating: "v", count: valueSize)
                let neighbour = try ProxyRawSocket(port: harness.port)
                try neighbour.send("*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$\(valueSize)\r\n\(value)\r\n")
                observed.setup = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                let baseline = Self.residentBytes()

                // Each 22-byte GET asks for 64 KB: 1 GB of requests would be 3 TB of replies.
                let flood = try ProxyRawSocket(port: harness.port, receiveBufferSize: 4096)
                let chunk = Array(String(repeating: "*2\r\n$3\r\nGET\r\n$4\r\nhuge\r\n", count: 4096).utf8)
                let until = ContinuousClock.now + .seconds(10)
                var pending = chunk[...]
                var rounds = 0
                while ContinuousClock.now < until && !observed.dropped {
                    switch flood.sendWithoutBlocking(Array(pending)) {
                    case .closed: observed.dropped = true
                    case .sent(0): usleep(2_000)
                    case .sent(let count):
                        observed.accepted += count
                        pending = pending.dropFirst(count)
                        if pending.isEmpty { pending = chunk[...] }
                    }
                    observed.peakGrowth = max(observed.peakGrowth, Self.residentBytes() - baseline)
                    rounds += 1
                    if rounds % 50 == 1 {
                        try neighbour.send("*2\r\n$6\r\nSTRLEN\r\n$4\r\nhuge\r\n")
                        observed.neighbour.append(try neighbour.read(until: "\r\n", timeout: .seconds(5)))
                    }
                }
                flood.close()
                try neighbour.send(Self.ping)
                observed.afterFlood = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                return observed
            }
        }
        let requestedReplies = observed.accepted / 22 * valueSize
        print(
            "never-reading pipeline: \(observed.accepted) bytes of GETs taken, asking for \(requestedReplies) bytes of replies; resident memory +\(observed.peakGrowth) bytes; dropped: \(observed.dropped)"
        )
        #expect(observed.setup == "+OK\r\n")
        #expect(requestedReplies > 1024 * 1024 * 1024, "the pipeline asked for more than a gigabyte of replies")
        #expect(observed.dropped, "dropped once client_max_output_bytes of replies wait unread")
        // client_max_pending replies of 64 KB plus client_max_output_bytes is 16 MB; allow for the allocator and for
        // suites running beside this one. Before replies stopped sharing the backend's growing read buffer, this
        // flood held 1.3 GB.
        #expect(observed.peakGrowth < 96 * 1024 * 1024, "resident memory grew by \(observed.peakGrowth) bytes")
        #expect(!observed.neighbour.isEmpty && observed.neighbour.allSatisfy { $0 == ":65536\r\n" })
        #expect(observed.afterFlood == "+PONG\r\n")
    }

    @Test(
        "a bulk string longer than client_max_bulk_length is refused from its header, before any body is sent",
        arguments: ["$1048577", "$1073741824", "$9223372036854775807", "$99999999999999999999"]
    )
    func oversizeBulkIsRefused(header: String) async throws {
        struct Observed: Sendable {
            var refusal = ""
            var closed = false
            var growth = 0
            var neighbourSet = ""
            var neighbourLength = ""
        }
        let limit = 1024 * 1024
        let observed = try await ProxyHarness.with(configure: { $0.clientMaxBulkLength = limit }) { harness in
            try await ProxyBlockingThread.run {
                var observed = Observed()
                let neighbour = try ProxyRawSocket(port: harness.port)
                // The neighbour is halfway through a value at the limit when the oversize header arrives.
                let value = String(repeating: "n", count: limit)
                let request = Array("*3\r\n$3\r\nSET\r\n$9\r\nneighbour\r\n$\(limit)\r\n\(value)\r\n".utf8)
                try neighbour.send(Array(request[..<(request.count / 2)]))

                let baseline = Self.residentBytes()
                let attacker = try ProxyRawSocket(port: harness.port)
                try attacker.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n\(header)\r\n")
                observed.refusal = try attacker.read(until: "\r\n", timeout: .seconds(5))
                observed.closed = try attacker.waitForClose(timeout: .seconds(5))
                observed.growth = Self.residentBytes() - baseline

                try neighbour.send(Array(request[(request.count / 2)...]))
                observed.neighbourSet = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                try neighbour.send("*2\r\n$6\r\nSTRLEN\r\n$9\r\nneighbour\r\n")
                observed.neighbourLength = try neighbour.read(until: "\r\n", timeout: .seconds(5))
                return observed
            }
        }
        #expect(observed.refusal.hasPrefix("-ERR Protocol error: invalid bulk length"), "\(observed.refusal)")
        #expect(observed.closed)
        #expect(observed.growth < 32 * 1024 * 1024, "resident memory grew by \(observed.growth) bytes")
        #expect(observed.neighbourSet == "+OK\r\n")
        #expect(observed.neighbourLength == ":\(limit)\r\n")
    }

    @Test("thousands of connects and disconnects: the proxy keeps serving, leaks no descriptor, counts each one")
    func connectStorm() async throws {
        struct Observed: Sendable {
            var cycles = 0
            var pinged = 0
            var neighbour: [String] = []
            var descriptorsBefore = 0
            var descriptorsAfter = 0
        }
        try await ProxyHarness.with { harness in
            let before = await harness.proxy.twemproxyStats()
            let observed = try await ProxyBlockingThread.run {
                var observed = Observed()
                let neighbour = try ProxyRawSocket(port: harness.port)
                try neighbour.send(Self.ping)
                observed.neighbour.append(try neighbour.read(until: "\r\n", timeout: .seconds(5)))
                observed.descriptorsBefore = Self.openDescriptors()
                let until = ContinuousClock.now + .seconds(3)
                while ContinuousClock.now < until {
                    for _ in 0..<100 {
                        let client = try ProxyRawSocket(port: harness.port)
                        client.close()
                        observed.cycles += 1
                    }
                    // Every hundredth client is a real one, so the storm interleaves with service.
                    let client = try ProxyRawSocket(port: harness.port)
                    try client.send(Self.ping)
                    if try client.read(until: "\r\n", timeout: .seconds(5)) == "+PONG\r\n" { observed.pinged += 1 }
                    client.close()
                    observed.cycles += 1
                    try neighbour.send(Self.ping)
                    observed.neighbour.append(try neighbour.read(until: "\r\n", timeout: .seconds(5)))
                }
                neighbour.close()
                return observed
            }
            // The proxy sees the last closes a moment after the client made them.
            var after = await harness.proxy.twemproxyStats()
            let deadline = ContinuousClock.now + .seconds(10)
            while after.pools[0].clientConnections != before.pools[0].clientConnections, ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
                after = await harness.proxy.twemproxyStats()
            }
            let descriptorsAfter = Self.openDescriptors()
            let storm = UInt64(observed.cycles)
            print(
                "connect storm: \(observed.cycles) cycles in 3 s, \(observed.pinged) served, fds \(observed.descriptorsBefore) -> \(descriptorsAfter)"
            )
            #expect(observed.cycles > 1_000)
            #expect(observed.pinged == observed.cycles / 101)
            #expect(observed.neighbour.allSatisfy { $0 == "+PONG\r\n" } && observed.neighbour.count > 1)
            #expect(after.pools[0].clientConnections == before.pools[0].clientConnections, "every client was let go")
            // The storm's clients and the neighbour, each counted once as accepted and once as gone.
            #expect(after.totalConnections - before.totalConnections == storm + 1)
            #expect(after.pools[0].clientEOF - before.pools[0].clientEOF == storm + 1)
            #expect(after.pools[0].clientErrors == before.pools[0].clientErrors)
            // Other suites open descriptors in this process too; a leak would be one per cycle.
            #expect(
                descriptorsAfter < observed.descriptorsBefore + 64,
                "descriptors \(observed.descriptorsBefore) -> \(descriptorsAfter)"
            )
        }
    }

    /// A client that sends a byte at a time and watches, without blocking for long, for the proxy's close.
    private final class SlowClient {
        private let fd: Int32

        init(port: Int) throws {
            self.fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard self.fd >= 0, result == 0 else {
                throw ProxyRawSocket.Failure(description: "connect failed: \(errno)")
            }
        }

        deinit { Glibc.close(self.fd) }

        func send(_ byte: UInt8) -> Bool {
            var byte = byte
            return Glibc.send(self.fd, &byte, 1, Int32(MSG_NOSIGNAL)) == 1
        }

        /// What arrives within `duration`, and whether the proxy closed the connection meanwhile.
        func receive(for duration: Duration) -> (String, closed: Bool) {
            let deadline = ContinuousClock.now + duration
            var bytes: [UInt8] = []
            while true {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { return (String(decoding: bytes, as: UTF8.self), false) }
                var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
                let milliseconds =
                    remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                guard poll(&poller, 1, Int32(milliseconds) + 1) > 0 else { continue }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return (String(decoding: bytes, as: UTF8.self), true) }
                bytes += chunk[..<count]
            }
        }
    }

    // MARK: - This process, which the proxy runs in

    /// Resident set size, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}
