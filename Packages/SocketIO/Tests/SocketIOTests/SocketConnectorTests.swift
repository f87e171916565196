import NIOCore
import NIOSSL
import RESPCodec
import Testing

@testable import SocketIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(1)))
struct SocketConnectorTests {
    // MARK: - Addresses

    @Test func aClosedPortRefusesTheConnection() async throws {
        let port = try freeLoopbackPort()
        let error = await #expect(throws: SocketIOError.self) {
            try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: port))
        }
        #expect(error?.code == .connectionRefused)
    }

    @Test func aMissingUnixSocketRefusesTheConnection() async throws {
        let error = await #expect(throws: SocketIOError.self) {
            try await RESPConnection.connect(
                to: .unixSocket(path: "/tmp/socketio-no-such-\(UInt32.random(in: 0...UInt32.max)).sock")
            )
        }
        #expect(error?.code == .connectionRefused)
    }

    @Test(arguments: ["127.0.0.1", "::1", "localhost"])
    func connectsByIPv4IPv6AndName(host: String) async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let connection = try await RESPConnection.connect(to: .tcp(host: host, port: server.port))
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func connectsOverAUnixSocket() async throws {
        let server = try await RedisTestServer.start(unixSocket: true)
        defer { server.stop() }
        let path = try #require(server.unixSocketPath)
        let connection = try await RESPConnection.connect(to: .unixSocket(path: path))
        #expect(try await connection.send("SET", "over", "unix") == .simpleString("OK"))
        #expect(try await connection.send("GET", "over") == .bulkString("unix"))
        guard case .bulkString(let info?) = try await connection.send("CLIENT", "INFO") else {
            Issue.record("CLIENT INFO did not return a bulk string")
            return
        }
        #expect(String(buffer: info).contains("laddr=\(path)"))
        await connection.close()
    }

    // MARK: - Socket options

    @Test func appliesNoDelayAndKeepAliveSettings() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.keepAlive = TCPKeepAlive(idle: .seconds(42), interval: .seconds(7), count: 5)
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        let channel = connection.channel

        #expect(try await channel.getOption(.tcpOption(.tcp_nodelay)).get() != 0)
        #expect(try await channel.getOption(.socketOption(.so_keepalive)).get() != 0)
        #if canImport(Glibc)
        #expect(try await channel.getOption(Self.tcpOption(TCP_KEEPIDLE)).get() == 42)
        #expect(try await channel.getOption(Self.tcpOption(TCP_KEEPINTVL)).get() == 7)
        #expect(try await channel.getOption(Self.tcpOption(TCP_KEEPCNT)).get() == 5)
        #endif
        await connection.close()
    }

    @Test func keepAliveCanBeLeftOff() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.keepAlive = nil
        configuration.socket.tcpNoDelay = false
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        #expect(try await connection.channel.getOption(.socketOption(.so_keepalive)).get() == 0)
        #expect(try await connection.channel.getOption(.tcpOption(.tcp_nodelay)).get() == 0)
        await connection.close()
    }

    // MARK: - TLS

    @Test func verifiedMutualTLSWithRedis() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.caCertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey,
            serverName: "localhost"
        )
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        #expect(try await connection.send("SET", "secure", "yes") == .simpleString("OK"))
        #expect(try await connection.send("GET", "secure") == .bulkString("yes"))
        await connection.close()
    }

    @Test func tlsVerificationUsesTheIPAddressWithoutAServerName() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.caCertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey
        )
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func anUnknownCertificateAuthorityFailsTheHandshake() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.unrelatedCACertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey,
            serverName: "localhost"
        )
        let error = await #expect(throws: SocketIOError.self) {
            try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        }
        #expect(error?.code == .tlsHandshakeFailed, "\(String(describing: error))")
    }

    @Test func aWrongServerNameFailsTheHandshake() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.caCertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey,
            serverName: "not-this-server.example"
        )
        // The certificate names 127.0.0.1 but not ::1, so over IPv6 only the server name can match.
        let error = await #expect(throws: SocketIOError.self) {
            try await RESPConnection.connect(to: .tcp(host: "::1", port: server.port), configuration: configuration)
        }
        #expect(error?.code == .tlsHandshakeFailed, "\(String(describing: error))")
    }

    @Test func theServerNameIsWhatGetsVerified() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.caCertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey,
            serverName: "localhost"
        )
        let connection = try await RESPConnection.connect(
            to: .tcp(host: "::1", port: server.port),
            configuration: configuration
        )
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func aHostNameIsSentAsSNIAndVerified() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.caCertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey
        )
        let connection = try await RESPConnection.connect(
            to: .tcp(host: "localhost", port: server.port),
            configuration: configuration
        )
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func aMissingClientCertificateIsATLSFailure() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(caFile: certificates.caCertificate, serverName: "localhost")
        // Under TLS 1.3 the server judges the client certificate after the client's handshake is done, so the
        // refusal may surface on the connect or on the first request.
        let error = await #expect(throws: SocketIOError.self) {
            let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
            _ = try await connection.send("PING")
        }
        #expect(error?.code == .tlsHandshakeFailed, "\(String(describing: error))")
    }

    @Test func verificationCanBeSwitchedOffExplicitly() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await RedisTestServer.start(tls: certificates)
        defer { server.stop() }
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(
            caFile: certificates.unrelatedCACertificate,
            certificateFile: certificates.clientCertificate,
            privateKeyFile: certificates.clientKey,
            verification: .none
        )
        let connection = try await RESPConnection.connect(to: server.endpoint, configuration: configuration)
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
    }

    @Test func aSilentTLSPeerHitsTheConnectTimeout() async throws {
        let silent = try await ServerListener.bind(to: .tcp(host: "127.0.0.1", port: 0)) { channel in
            channel.eventLoop.makeSucceededVoidFuture()
        }
        let port = try #require(silent.localAddress?.port)
        var configuration = RESPConnectionConfiguration()
        configuration.socket.connectTimeout = .milliseconds(200)
        configuration.socket.tls = try ClientTLSOptions(caFile: TestCertificates.shared().caCertificate)
        let error = await #expect(throws: SocketIOError.self) {
            try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: port), configuration: configuration)
        }
        #expect(error?.code == .connectTimeout)
        await silent.close(gracePeriod: .zero)
    }

    private static func tcpOption(_ name: CInt) -> ChannelOptions.Types.SocketOption {
        ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: name))
    }
}
