import NIOConcurrencyHelpers
import NIOCore

/// The accepted channels of one listener: admits up to a maximum, forgets channels as they close, and tells a
/// closing listener when the last one is gone. Parked clients (see ``ParkingTicket``) still count towards the
/// maximum, and come back without being refused.
///
/// Closing goes through phases. A client accepted before the listener stopped accepting is still served: admitted
/// while the listener closes, it is asked to finish like every other client (`drain`), and only one that arrives
/// after the grace period is refused.
final class ChildChannelRegistry: Sendable {
    enum Admission {
        case admitted
        /// Admitted while the listener drains: the client is asked to finish as soon as it is set up.
        case drain
        case overLimit
        /// The grace period is over; the channel is closed at once.
        case refused
    }

    private enum Phase {
        case open
        /// Not accepting any more; nobody parks. Clients admitted now are drained with the others.
        case closing
        /// Clients have been asked to finish; later ones are asked as they are admitted.
        case draining
        case forceClosed
    }

    private struct State {
        var children: [ObjectIdentifier: any Channel] = [:]
        var phase = Phase.open
        var parked = 0
        /// Accepted or returning sockets on their way to an event loop.
        var adopting = 0
        var emptyWaiters: [CheckedContinuation<Void, Never>] = []

        var isEmpty: Bool { self.children.isEmpty && self.adopting == 0 }

        /// The waiters to resume, when a closing listener has nobody left.
        mutating func takeWaitersIfEmpty() -> [CheckedContinuation<Void, Never>] {
            guard self.phase != .open, self.isEmpty else { return [] }
            defer { self.emptyWaiters.removeAll() }
            return self.emptyWaiters
        }
    }

    private let maximum: Int
    private let state = NIOLockedValueBox(State())

    init(maximum: Int) {
        self.maximum = maximum
    }

    var count: Int {
        self.state.withLockedValue { $0.children.count + $0.parked }
    }

    var parkedCount: Int {
        self.state.withLockedValue { $0.parked }
    }

    var channels: [any Channel] {
        self.state.withLockedValue { Array($0.children.values) }
    }

    /// Admits a new client, or a parked one coming back (`returning`), which is never over the limit: it was
    /// counted all along.
    func admit(_ channel: any Channel, returning: Bool = false) -> Admission {
        let admission = self.state.withLockedValue { state -> Admission in
            if returning { state.parked -= 1 }
            if state.phase == .forceClosed { return .refused }
            if !returning, state.children.count + state.parked >= self.maximum { return .overLimit }
            state.children[ObjectIdentifier(channel)] = channel
            return state.phase == .draining ? .drain : .admitted
        }
        switch admission {
        case .admitted, .drain:
            channel.closeFuture.whenComplete { _ in
                let waiters = self.state.withLockedValue { state in
                    _ = state.children.removeValue(forKey: ObjectIdentifier(channel))
                    return state.takeWaitersIfEmpty()
                }
                for waiter in waiters { waiter.resume() }
            }
        case .overLimit, .refused:
            break
        }
        return admission
    }

    /// Moves `channel`'s client from the connected channels to the parked clients in one step, so that it is
    /// never counted twice against the maximum; false once the listener is closing.
    func park(_ channel: any Channel) -> Bool {
        self.state.withLockedValue { state in
            guard state.phase == .open, state.children.removeValue(forKey: ObjectIdentifier(channel)) != nil else {
                return false
            }
            state.parked += 1
            return true
        }
    }

    /// A parked client went away without coming back.
    func forgetParked(_ count: Int = 1) {
        self.state.withLockedValue { $0.parked -= count }
    }

    /// A socket is on its way to an event loop; a closing listener waits for it.
    func beginAdoption() {
        self.state.withLockedValue { $0.adopting += 1 }
    }

    /// The socket is in a channel now (admitted or not), or failed to get one.
    func endAdoption() {
        let waiters = self.state.withLockedValue { state in
            state.adopting -= 1
            return state.takeWaitersIfEmpty()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The listener stops accepting: nobody parks any more.
    func beginClosing() {
        self.state.withLockedValue { state in
            if state.phase == .open { state.phase = .closing }
        }
    }

    /// Returns the clients to ask to finish; clients admitted from now on are asked as they arrive.
    func beginDraining() -> [any Channel] {
        self.state.withLockedValue { state in
            if state.phase == .open || state.phase == .closing { state.phase = .draining }
            return Array(state.children.values)
        }
    }

    /// The grace period is over: returns the clients to close, and refuses later ones.
    func forceClose() -> [any Channel] {
        self.state.withLockedValue { state in
            state.phase = .forceClosed
            return Array(state.children.values)
        }
    }

    /// Returns once a closing listener has no client left, nor any on its way.
    func whenEmpty() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isEmpty = self.state.withLockedValue { state -> Bool in
                if state.isEmpty { return true }
                state.emptyWaiters.append(continuation)
                return false
            }
            if isEmpty { continuation.resume() }
        }
    }
}
