import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// TCP keep-alive probing, so that a silently vanished peer is noticed even on an idle connection.
///
/// ```swift
/// let keepAlive = TCPKeepAlive(idle: .seconds(60), interval: .seconds(10), count: 3)
/// ```
public struct TCPKeepAlive: Hashable, Sendable {
    /// Quiet time before the first probe (`TCP_KEEPIDLE`; `TCP_KEEPALIVE` on Darwin).
    public var idle: Duration
    /// Time between unanswered probes (`TCP_KEEPINTVL`).
    public var interval: Duration
    /// Unanswered probes before the kernel drops the connection (`TCP_KEEPCNT`).
    public var count: Int

    /// Creates keep-alive settings. The kernel counts in whole seconds, so each duration is rounded up to one.
    public init(idle: Duration = .seconds(300), interval: Duration = .seconds(15), count: Int = 4) {
        self.idle = idle
        self.interval = interval
        self.count = count
    }

    /// The socket options that switch keep-alive on with these settings.
    var socketOptions: [(ChannelOptions.Types.SocketOption, SocketOptionValue)] {
        #if canImport(Darwin)
        let idleOption = TCP_KEEPALIVE
        #else
        let idleOption = TCP_KEEPIDLE
        #endif
        return [
            (ChannelOptions.Types.SocketOption(level: .socket, name: .so_keepalive), 1),
            (Self.tcpOption(idleOption), Self.wholeSeconds(self.idle)),
            (Self.tcpOption(TCP_KEEPINTVL), Self.wholeSeconds(self.interval)),
            (Self.tcpOption(TCP_KEEPCNT), SocketOptionValue(max(1, self.count))),
        ]
    }

    private static func tcpOption(_ name: CInt) -> ChannelOptions.Types.SocketOption {
        ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: name))
    }

    private static func wholeSeconds(_ duration: Duration) -> SocketOptionValue {
        let (seconds, attoseconds) = duration.components
        return SocketOptionValue(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }
}
