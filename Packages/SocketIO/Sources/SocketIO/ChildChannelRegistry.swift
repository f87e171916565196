import NIOConcurrencyHelpers
import NIOCore

/// The accepted channels of one listener: admits up to a maximum, forgets channels as they close, and refuses
/// everything once the listener starts closing.
final class ChildChannelRegistry: Sendable {
    enum Admission {
        case admitted
        case overLimit
        case listenerClosing
    }

    private struct State {
        var children: [ObjectIdentifier: any Channel] = [:]
        var isClosing = false
    }

    private let maximum: Int
    private let state = NIOLockedValueBox(State())

    init(maximum: Int) {
        self.maximum = maximum
    }

    var count: Int {
        self.state.withLockedValue { $0.children.count }
    }

    var channels: [any Channel] {
        self.state.withLockedValue { Array($0.children.values) }
    }

    func admit(_ channel: any Channel) -> Admission {
        let admission = self.state.withLockedValue { state -> Admission in
            if state.isClosing { return .listenerClosing }
            if state.children.count >= self.maximum { return .overLimit }
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

    /// Refuses later clients and returns the ones still connected.
    func beginClosing() -> [any Channel] {
        self.state.withLockedValue { state in
            state.isClosing = true
            return Array(state.children.values)
        }
    }
}
