import NIOConcurrencyHelpers
import NIOCore

/// A listener's open connections: it refuses connections beyond the limit or after shutdown has begun, and
/// shuts the rest down gracefully.
final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isClosing = false
    }

    private let state = NIOLockedValueBox(State())
    private let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// Whether shutdown has begun; responses then ask clients to close.
    var isClosing: Bool { self.state.withLockedValue { $0.isClosing } }

    /// Admits `channel` unless the listener is full or closing. An admitted channel is forgotten when it closes.
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let admitted = self.state.withLockedValue { state in
            guard !state.isClosing, state.channels.count < self.maxConnections else { return false }
            state.channels[id] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in
                _ = self.state.withLockedValue { $0.channels.removeValue(forKey: id) }
            }
        }
        return admitted
    }

    /// Stops `listener`, asks each open connection to finish its request and close, and closes whatever is
    /// still open after `gracePeriod`.
    func shutDown(listener: any Channel, gracePeriod: Duration) async {
        let channels = self.state.withLockedValue { state in
            state.isClosing = true
            return Array(state.channels.values)
        }
        listener.close(promise: nil)
        try? await listener.closeFuture.get()

        let deadlines = channels.map { channel in
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            return channel.eventLoop.scheduleTask(in: TimeAmount(gracePeriod)) { channel.close(promise: nil) }
        }
        for (channel, deadline) in zip(channels, deadlines) {
            try? await channel.closeFuture.get()
            deadline.cancel()
        }
    }
}

/// Fails a child channel's initialisation, so that NIO closes a connection the tracker refused.
struct ConnectionRefused: Error {}
