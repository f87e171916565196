import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Lets a client's handler park the client while it is idle, when its ``ServerListener`` parks clients
/// (``ServerListenerOptions/parksIdleClients``).
///
/// An idle NIO channel costs about 2 KB of memory; a parked client costs its socket and the state its handler
/// keeps. Parking closes the channel but not the socket. When the client sends anything (or hangs up), it comes
/// back in a new channel on one of the listener's event loops, and the child channel initializer gets the state
/// back, so that the client never notices.
///
/// ```swift
/// let listener = try await ServerListener.bind(
///     to: .tcp(host: "127.0.0.1", port: 22121),
///     options: ServerListenerOptions(parksIdleClients: true)
/// ) { channel, ticket, restored in
///     channel.eventLoop.makeCompletedFuture {
///         let session = Session(ticket: ticket, restoring: restored as? Session.Parked)
///         try channel.pipeline.syncOperations.addHandler(session)
///     }
/// }
/// // Later, in the session, on the channel's event loop, with no request in flight and nothing buffered:
/// if ticket.park(context.channel, state: Session.Parked(user: self.user), closeAt: idleDeadline) {
///     // The channel is closing; the client is not.
/// }
/// ```
public struct ParkingTicket: Sendable {
    #if os(Linux)
    let lot: ParkingLot
    #endif
    let descriptor: CInt

    #if os(Linux)
    init(lot: ParkingLot, descriptor: CInt) {
        self.lot = lot
        self.descriptor = descriptor
    }
    #endif

    /// Parks the client of `channel` with `state`, to be closed at `deadline` (if any) should it stay silent.
    ///
    /// Call it on the channel's event loop, only when nothing is in flight either way: bytes the handler has read
    /// but not used, or written but not flushed, are lost with the channel. Returns false, changing nothing, when
    /// the client cannot be parked (the listener is closing, or no descriptor is left); otherwise the channel is
    /// closed, and the handler sees it go inactive like any other close.
    public func park(_ channel: any Channel, state: any Sendable, closeAt deadline: NIODeadline?) -> Bool {
        channel.eventLoop.preconditionInEventLoop()
        #if os(Linux)
        guard channel.isActive else { return false }
        let copy = fcntl(self.descriptor, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return false }
        guard self.lot.registry.park(channel) else {
            close(copy)
            return false
        }
        // The channel closes its own descriptor at once; the copy keeps the connection open.
        channel.close(promise: nil)
        if !self.lot.park(copy, state: state, deadline: deadline) {
            close(copy)
            self.lot.registry.forgetParked()
        }
        return true
        #else
        return false
        #endif
    }
}
