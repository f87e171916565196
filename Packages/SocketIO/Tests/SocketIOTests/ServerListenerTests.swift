import Foundation
import NIOCore
import NIOSSL
import RESPCodec
import Testing

@testable import SocketIO

@Suite(.timeLimit(.minutes(1)))
struct ServerListenerTests {
    @Test func refusesClientsOverTheLimitAsRedisDoes() async throws {
        var options = ServerListenerOptions()
        options.maximumClients = 1
        let fake = try await FakeRESPServer.start(options: options, greeting: "+WELCOME\r\n")

        let admitted = try RawTCPClient(port: fake.port)
        let welcome = admitted.read { $0.hasSuffix("\r\n") }
        #expect(welcome.text == "+WELCOME\r\n")
        #expect(!welcome.closedByServer)
        #expect(fake.listener.connectedClientCount == 1)

        let refused = try RawTCPClient(port: fake.port)
        let refusal = refused.read()
        #expect(refusal.text == "-ERR max number of clients reached\r\n")
        #expect(refusal.closedByServer)
        #expect(fake.listener.connectedClientCount == 1)

        admitted.close()
        try await RESPConnectionTests.waitUntil { fake.listener.connectedClientCount == 0 }
        let later = try RawTCPClient(port: fake.port)
        #expect(later.read { $0.hasSuffix("\r\n") }.text == "+WELCOME\r\n")
        await fake.listener.close(gracePeriod: .zero)
    }

    @Test func gracefulCloseStopsAcceptingAsksClientsToFinishThenClosesThem() async throws {
        let fake = try await FakeRESPServer.start(greeting: "+WELCOME\r\n")
        let first = try RawTCPClient(port: fake.port)
        let second = try RawTCPClient(port: fake.port)
        // Greeted, so counted below.
        for client in [first, second] {
            #expect(client.read { $0.hasSuffix("\r\n") }.text == "+WELCOME\r\n")
        }
        #expect(fake.listener.connectedClientCount == 2)

        await fake.listener.close(gracePeriod: .milliseconds(200))

        #expect(fake.listener.connectedClientCount == 0)
        for client in [first, second] {
            let received = client.read()
            #expect(received.text == ScriptedReplyHandler.goodbye)
            #expect(received.closedByServer)
        }
        #expect(throws: (any Error).self) { try RawTCPClient(port: fake.port) }
    }

    @Test func servesRESPOverAUnixSocket() async throws {
        let path = "/tmp/socketio-listener-\(UInt32.random(in: 0...UInt32.max)).sock"
        let fake = try await FakeRESPServer.start(on: .unixSocket(path: path)) { request in
            request == .array([.bulkString("PING")]) ? "+PONG\r\n" : "-ERR unexpected\r\n"
        }
        let connection = try await RESPConnection.connect(to: .unixSocket(path: path))
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        await connection.close()
        #expect(FileManager.default.fileExists(atPath: path))
        await fake.listener.close(gracePeriod: .seconds(1))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func servesTLSClients() async throws {
        let certificates = try TestCertificates.shared()
        let serverTLS = try NIOSSLContext(
            configuration: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.serverCertificate).map {
                    .certificate($0)
                },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.serverKey, format: .pem))
            )
        )
        let fake = try await FakeRESPServer.start(options: ServerListenerOptions(tls: serverTLS))
        var configuration = RESPConnectionConfiguration()
        configuration.socket.tls = try ClientTLSOptions(caFile: certificates.caCertificate, serverName: "localhost")
        let connection = try await RESPConnection.connect(
            to: .tcp(host: "127.0.0.1", port: fake.port),
            configuration: configuration
        )
        let replies = try await connection.sendBatch(Array(repeating: ["PING"], count: 100))
        #expect(replies == Array(repeating: .simpleString("PONG"), count: 100))
        await connection.close()
        await fake.listener.close(gracePeriod: .seconds(1))
    }
}
