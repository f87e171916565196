import NIOCore
import NIOPosix
import NIOSSL
import RESPCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SocketIOError {
    /// Classifies an error raised while connecting.
    static func connecting(to endpoint: SocketEndpoint, _ error: any Error) -> SocketIOError {
        if let error = error as? SocketIOError { return error }
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first {
                return .connecting(to: endpoint, failure.error)
            }
            if let dnsError = error.dnsAError ?? error.dnsAAAAError {
                return SocketIOError(.addressResolutionFailed, "cannot resolve \(endpoint)", underlying: dnsError)
            }
            return SocketIOError(.addressResolutionFailed, "no address found for \(endpoint)", underlying: error)
        }
        if let error = error as? ChannelError, case .connectTimeout(let amount) = error {
            return SocketIOError(.connectTimeout, "connect to \(endpoint) timed out after \(amount)", underlying: error)
        }
        if let error = error as? IOError, [ECONNREFUSED, ENOENT].contains(error.errnoCode) {
            return SocketIOError(.connectionRefused, "connection refused by \(endpoint)", underlying: error)
        }
        if error is SocketAddressError {
            return SocketIOError(.addressResolutionFailed, "cannot resolve \(endpoint)", underlying: error)
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return SocketIOError(.tlsHandshakeFailed, "TLS with \(endpoint) failed: \(error)", underlying: error)
        }
        return .established(error)
    }

    /// Classifies an error raised on an established connection.
    static func established(_ error: any Error) -> SocketIOError {
        if let error = error as? SocketIOError { return error }
        if let error = error as? RESPParsingError {
            return SocketIOError(.protocolError, error.description, underlying: error)
        }
        if let error = error as? IOError, [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode) {
            return SocketIOError(.closedByPeer, "connection reset by peer", underlying: error)
        }
        if let error = error as? ChannelError {
            switch error {
            case .eof, .outputClosed:
                return SocketIOError(.closedByPeer, "connection closed by peer", underlying: error)
            case .ioOnClosedChannel, .alreadyClosed:
                return SocketIOError(.connectionClosed, "connection is closed", underlying: error)
            default:
                break
            }
        }
        if error is BoringSSLError {
            // A TLS alert. Under TLS 1.3 this is how a rejected client certificate arrives: after the client
            // already considers the handshake done.
            return SocketIOError(.tlsHandshakeFailed, "TLS failed: \(error)", underlying: error)
        }
        if let error = error as? NIOSSLError {
            switch error {
            case .uncleanShutdown:
                return SocketIOError(
                    .closedByPeer,
                    "TLS connection closed by peer without close_notify",
                    underlying: error
                )
            case .handshakeFailed:
                return SocketIOError(.tlsHandshakeFailed, "TLS handshake failed: \(error)", underlying: error)
            default:
                break
            }
        }
        return SocketIOError(.ioError, "\(error)", underlying: error)
    }

    static var closedByPeer: SocketIOError {
        SocketIOError(.closedByPeer, "connection closed by peer")
    }
}
