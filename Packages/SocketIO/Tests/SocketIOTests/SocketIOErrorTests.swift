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

@Suite struct SocketIOErrorTests {
    private let endpoint = SocketEndpoint.tcp(host: "127.0.0.1", port: 6379)

    @Test func classifiesConnectFailures() {
        let refused = IOError(errnoCode: ECONNREFUSED, reason: "connect")
        #expect(SocketIOError.connecting(to: self.endpoint, refused).code == .connectionRefused)
        let missingSocket = IOError(errnoCode: ENOENT, reason: "connect")
        #expect(SocketIOError.connecting(to: .unixSocket(path: "/x"), missingSocket).code == .connectionRefused)
        let timeout = ChannelError.connectTimeout(.seconds(1))
        #expect(SocketIOError.connecting(to: self.endpoint, timeout).code == .connectTimeout)
        #expect(
            SocketIOError.connecting(to: self.endpoint, NIOSSLError.handshakeFailed(.unknownError([]))).code
                == .tlsHandshakeFailed
        )
    }

    @Test func classifiesFailuresOfAnEstablishedConnection() {
        #expect(SocketIOError.established(IOError(errnoCode: ECONNRESET, reason: "read")).code == .closedByPeer)
        #expect(SocketIOError.established(IOError(errnoCode: EPIPE, reason: "write")).code == .closedByPeer)
        #expect(SocketIOError.established(ChannelError.ioOnClosedChannel).code == .connectionClosed)
        #expect(SocketIOError.established(NIOSSLError.uncleanShutdown).code == .closedByPeer)
        let parsing = SocketIOError.established(RESPParsingError(.unknownType(UInt8(ascii: "?"))))
        #expect(parsing.code == .protocolError)
        #expect(parsing.message == "Protocol error: unknown type byte '?'")
        #expect(SocketIOError.established(IOError(errnoCode: EACCES, reason: "read")).code == .ioError)
    }

    @Test func keepsAnErrorThatIsAlreadyClassified() {
        let original = SocketIOError(.requestTimeout, "late")
        #expect(SocketIOError.established(original).code == .requestTimeout)
        #expect(SocketIOError.connecting(to: self.endpoint, original).message == "late")
        #expect(original.description == "requestTimeout: late")
    }
}
