import NIOCore
import SocketIO

/// Parking idle clients (`client_park_after`): a client with nothing in flight and nothing buffered, on shared
/// connections, gives up its channel and waits as a bare socket in the listener's parking lot; its next request
/// brings it back in a new channel on any loop, with the state a multiplexed client's requests depend on
/// (``ParkedClient``). Clients with a dedicated connection (transactions, pub/sub, SELECT, blocking commands)
/// never park: their state lives on that connection.
extension ClientSession {
    /// Parks the client when it may and has been idle since `now - idleFor`; true when it is parking.
    func parkIfIdle(now: UInt64, idleFor: UInt64) -> Bool {
        guard let ticket = self.parkingTicket, let context = self.context, now &- self.now >= idleFor,
            self.mayPark(context.channel)
        else { return false }
        let parked = ParkedClient(
            isAuthenticated: self.isAuthenticated,
            protocolVersion: UInt8(clamping: self.protocolVersion),
            authenticationFailures: self.authenticationFailures
        )
        // The idle timeout keeps counting from the client's last request while it is parked.
        let deadline = self.idleTimeoutNanoseconds.map { NIODeadline.uptimeNanoseconds(self.now &+ $0) }
        self.isParking = true
        guard ticket.park(context.channel, state: parked, closeAt: deadline) else {
            self.isParking = false
            return false
        }
        self.loopPool.tally.counts.clientParkings &+= 1
        return true
    }

    /// Nothing would be lost with the channel, and nothing but ``ParkedClient`` needs keeping.
    private func mayPark(_ channel: any Channel) -> Bool {
        guard case .open = self.lifecycle, case .multiplexed = self.mode, self.hasRead || !self.isReturning else {
            return false
        }
        guard self.slots.isEmpty, self.deferred.isEmpty, self.unparsed == nil, self.outgoing.isEmpty,
            !self.needsFlush, !self.readPending, !self.isLingering, !self.isDelayingAuthenticationFailure,
            !self.isHoldingClusterTransaction, !self.startsClusterTransaction, !self.isDraining
        else { return false }
        // Replies the client has not read yet, still in the channel rather than the kernel.
        let buffered = (try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 1
        return buffered == 0
    }
}
