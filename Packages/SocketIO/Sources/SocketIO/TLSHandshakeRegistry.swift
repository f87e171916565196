import NIOConcurrencyHelpers
import NIOCore

/// The handshake result of each channel one connect attempt creates. Happy Eyeballs may try several channels, and
/// only the winner's handshake matters.
final class TLSHandshakeRegistry: Sendable {
    private let handshakes = NIOLockedValueBox<[ObjectIdentifier: EventLoopFuture<Void>]>([:])

    func record(_ handshake: EventLoopFuture<Void>, for channel: any Channel) {
        self.handshakes.withLockedValue { $0[ObjectIdentifier(channel)] = handshake }
    }

    /// The handshake of `channel`, or `nil` when it runs without TLS.
    func handshake(of channel: any Channel) -> EventLoopFuture<Void>? {
        self.handshakes.withLockedValue { $0[ObjectIdentifier(channel)] }
    }
}
