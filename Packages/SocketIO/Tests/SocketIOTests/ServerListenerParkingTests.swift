#if os(Linux)
import Foundation
import NIOCore
import Testing

@testable import SocketIO

/// Real loopback clients of a listener that parks them after every reply.
@Suite(.timeLimit(.minutes(1)))
struct ServerListenerParkingTests {
    /// Answers each read with `+N` (the reads so far, across parking), then parks with `N` as its state.
    final class CountingHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let ticket: ParkingTicket?
        let parkFor: TimeAmount?
        var count: Int

        init(ticket: ParkingTicket?, restored: (any Sendable)?, parkFor: TimeAmount?) {
            self.ticket = ticket
            self.parkFor = parkFor
            self.count = restored as? Int ?? 0
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.count += 1
            let channel = context.channel
            let count = self.count
            let ticket = self.ticket
            let deadline = self.parkFor.map { NIODeadline.now() + $0 }
            context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: "+\(count)\r\n"))).whenSuccess {
                _ = ticket?.park(channel, state: count, closeAt: deadline)
            }
        }
    }

    static func listener(parkFor: TimeAmount? = nil, maximumClients: Int = 100) async throws -> ServerListener {
        var options = ServerListenerOptions(parksIdleClients: true)
        options.maximumClients = maximumClients
        return try await ServerListener.bind(to: .tcp(host: "127.0.0.1", port: 0), options: options) {
            channel,
            ticket,
            restored in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    CountingHandler(ticket: ticket, restored: restored, parkFor: parkFor)
                )
            }
        }
    }

    /// Each client reads `reply`, then sees the listener close the connection.
    static func expectAnsweredThenClosed(_ clients: [RawTCPClient], reply: String) {
        for client in clients {
            let received = client.read()
            #expect(received.text == reply)
            #expect(received.closedByServer)
        }
    }

    @Test func aParkedClientComesBackWithItsStateAndNeverNotices() async throws {
        let listener = try await Self.listener()
        #expect(listener.parksIdleClients)
        let port = try #require(listener.localAddress?.port)
        let client = try RawTCPClient(port: port)
        for expected in 1...5 {
            client.send("x")
            #expect(client.read { $0.hasSuffix("\r\n") }.text == "+\(expected)\r\n")
            try await RESPConnectionTests.waitUntil { listener.parkedClientCount == 1 }
            #expect(listener.connectedClientCount == 1)
        }
        client.close()
        // Hanging up while parked brings the socket back to a channel, which sees the end and closes.
        try await RESPConnectionTests.waitUntil { listener.connectedClientCount == 0 }
        #expect(listener.parkedClientCount == 0)
        await listener.close(gracePeriod: .zero)
    }

    @Test func manyClientsParkAndComeBackIndependently() async throws {
        let listener = try await Self.listener()
        let port = try #require(listener.localAddress?.port)
        let clients = try (0..<20).map { _ in try RawTCPClient(port: port) }
        for round in 1...3 {
            for client in clients { client.send("x") }
            for client in clients {
                #expect(client.read { $0.hasSuffix("\r\n") }.text == "+\(round)\r\n")
            }
            try await RESPConnectionTests.waitUntil { listener.parkedClientCount == 20 }
        }
        #expect(listener.connectedClientCount == 20)
        await listener.close(gracePeriod: .zero)
        #expect(listener.connectedClientCount == 0)
        for client in clients { #expect(client.read().closedByServer) }
    }

    @Test func aParkedClientSilentPastItsDeadlineIsClosed() async throws {
        let listener = try await Self.listener(parkFor: .milliseconds(100))
        let port = try #require(listener.localAddress?.port)
        let client = try RawTCPClient(port: port)
        client.send("x")
        #expect(client.read { $0.hasSuffix("\r\n") }.text == "+1\r\n")
        let closed = client.read(timeout: .seconds(5))
        #expect(closed.text == "")
        #expect(closed.closedByServer)
        try await RESPConnectionTests.waitUntil { listener.connectedClientCount == 0 }
        await listener.close(gracePeriod: .zero)
    }

    @Test func parkedClientsCountTowardsTheLimit() async throws {
        let listener = try await Self.listener(maximumClients: 1)
        let port = try #require(listener.localAddress?.port)
        let parked = try RawTCPClient(port: port)
        parked.send("x")
        #expect(parked.read { $0.hasSuffix("\r\n") }.text == "+1\r\n")
        try await RESPConnectionTests.waitUntil { listener.parkedClientCount == 1 }
        let refused = try RawTCPClient(port: port)
        #expect(refused.read().text == "-ERR max number of clients reached\r\n")
        // The parked client is still welcome.
        parked.send("x")
        #expect(parked.read { $0.hasSuffix("\r\n") }.text == "+2\r\n")
        await listener.close(gracePeriod: .zero)
    }

    @Test func closingServesAParkedClientThatHasJustSentARequest() async throws {
        let listener = try await Self.listener()
        let port = try #require(listener.localAddress?.port)
        let clients = try (0..<20).map { _ in try RawTCPClient(port: port) }
        for client in clients {
            client.send("x")
            #expect(client.read { $0.hasSuffix("\r\n") }.text == "+1\r\n")
        }
        try await RESPConnectionTests.waitUntil { listener.parkedClientCount == 20 }
        for client in clients { client.send("x") }
        // Whether the lot wakes each client first or the close finds its request waiting, every one is answered.
        await listener.close(gracePeriod: .milliseconds(300))
        Self.expectAnsweredThenClosed(clients, reply: "+2\r\n")
        #expect(listener.connectedClientCount == 0)
    }

    @Test func closingServesClientsThatConnectedBeforeIt() async throws {
        let listener = try await Self.listener()
        let port = try #require(listener.localAddress?.port)
        var clients: [RawTCPClient] = []
        for _ in 0..<50 {
            let client = try RawTCPClient(port: port)
            client.send("x")
            clients.append(client)
        }
        // Some are still in the backlog or on their way to an event loop: accepted or not, they connected first.
        await listener.close(gracePeriod: .milliseconds(300))
        Self.expectAnsweredThenClosed(clients, reply: "+1\r\n")
        #expect(listener.connectedClientCount == 0)
        #expect(throws: (any Error).self) { try RawTCPClient(port: port) }
    }

    /// A child process started by the server's owner must not inherit a client's socket: it would keep the
    /// connection open after the listener closed it.
    @Test func acceptedClientSocketsAreClosedOnExec() async throws {
        let listener = try await Self.listener()
        let port = try #require(listener.localAddress?.port)
        let client = try RawTCPClient(port: port)
        try await RESPConnectionTests.waitUntil { listener.connectedClientCount == 1 }
        let accepted = try #require(Self.descriptor(connectedToPort: client.localPort))
        #expect(fcntl(accepted, F_GETFD) & FD_CLOEXEC != 0)
        client.close()
        await listener.close(gracePeriod: .zero)
    }

    /// The descriptor of this process whose socket's peer is 127.0.0.1:`port`.
    static func descriptor(connectedToPort port: Int) -> Int32? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
        for descriptor in names.compactMap(Int32.init) {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let found = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) == 0 }
            }
            if found, address.sin_family == sa_family_t(AF_INET), Int(UInt16(bigEndian: address.sin_port)) == port {
                return descriptor
            }
        }
        return nil
    }

    @Test func withoutParkingHandlersGetNoTicket() async throws {
        let listener = try await ServerListener.bind(
            to: .tcp(host: "127.0.0.1", port: 0),
            options: ServerListenerOptions()
        ) { channel, ticket, _ in
            #expect(ticket == nil)
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    CountingHandler(ticket: ticket, restored: nil, parkFor: nil)
                )
            }
        }
        #expect(!listener.parksIdleClients)
        let client = try RawTCPClient(port: try #require(listener.localAddress?.port))
        client.send("x")
        #expect(client.read { $0.hasSuffix("\r\n") }.text == "+1\r\n")
        client.send("x")
        #expect(client.read { $0.hasSuffix("\r\n") }.text == "+2\r\n")
        #expect(listener.parkedClientCount == 0)
        await listener.close(gracePeriod: .zero)
    }
}
#endif
