import NIOCore
import NIOPosix

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An error raised by ``AdminHTTPServer`` or ``StatsPortServer``.
///
/// Its description names the address, so it can go straight into a log line or a fatal startup message:
///
/// ```swift
/// do {
///     _ = try await StatsPortServer.bind(host: "127.0.0.1", port: 22222) { "{}" }
/// } catch {
///     print(error)  // cannot listen on 127.0.0.1:22222: Address already in use
/// }
/// ```
public enum AdminServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The listening socket could not be created or bound; `reason` is the operating system's wording.
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason):
            let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            return "cannot listen on \(address): \(reason)"
        }
    }
}

extension AdminServerError {
    /// Binds `bootstrap`, turning NIO's errors into ``cannotListen(host:port:reason:)``.
    static func bind(_ bootstrap: ServerBootstrap, host: String, port: Int) async throws(AdminServerError) -> Channel {
        do {
            return try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw .cannotListen(host: host, port: port, reason: Self.reason(for: error))
        }
    }

    private static func reason(for error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case SocketAddressError.unknown:
            return "unknown host"
        default:
            return String(describing: error)
        }
    }
}
