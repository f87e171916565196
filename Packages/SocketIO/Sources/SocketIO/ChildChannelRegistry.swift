import NIOConcurrencyHelpers
import NIOCore

/// The accepted channels of one listener: admits up to a maximum, forgets channels as they close, and refuses
/// everything once the listener starts closing. Parked clients (see ``ParkingTicket``) still count towards the
/// maximum, and come back without being refused.
final class ChildChannelRegistry: Sendable {
    enum Admission {
        case admitted
        case overLimit
        case listenerClosing
    }

    private struct State {
        var children: [ObjectIdentifier: any Channel] = [:]
        var isClosing = false
        var parked = 0
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
            if state.isClosing { return .listenerClosing }
            if !returning, state.children.count + state.parked >= self.maximum { return .overLimit }
            state.children[ObjectIdentifier(channel)] = channel
            return .admitted
        }
        if case .admitted = admission {
            channel.closeFuture.whenComplete { _ in
                _ = self.state.withLockedValue { $0.children.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        }
        return admission
    }

    /// Moves `channel`'s client from the connected channels to the parked clients in one step, so that it is
    /// never counted twice against the maximum; false once the listener is closing.
    func park(_ channel: any Channel) -> Bool {
        self.state.withLockedValue { state in
            guard !state.isClosing, state.children.removeValue(forKey: ObjectIdentifier(channel)) != nil else {
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

    /// Refuses later clients and returns the ones still connected.
    func beginClosing() -> [any Channel] {
        self.state.withLockedValue { state in
            state.isClosing = true
            return Array(state.children.values)
        }
    }
}
