import NIOConcurrencyHelpers
import NIOCore
import SocketIO

/// The active health check: PING over one long-lived connection per server, reopened after a failure.
final class HealthProbe: Sendable {
    private let endpoints: NIOLockedValueBox<[SocketEndpoint]>
    private let configuration: RESPConnectionConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let connections: NIOLockedValueBox<[Int: RESPConnection]>

    init(endpoints: [SocketEndpoint], configuration: RESPConnectionConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.endpoints = NIOLockedValueBox(endpoints)
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.connections = NIOLockedValueBox([:])
    }

    func check(_ server: Int) async throws {
        let connection: RESPConnection
        if let existing = self.connections.withLockedValue({ $0[server] }), existing.isHealthy {
            connection = existing
        } else {
            connection = try await RESPConnection.connect(
                to: self.endpoints.withLockedValue { $0[server] },
                configuration: self.configuration,
                eventLoopGroup: self.eventLoopGroup
            )
            let previous = self.connections.withLockedValue { $0.updateValue(connection, forKey: server) }
            await previous?.close()
        }
        do {
            let reply = try await connection.send("PING")
            guard case .simpleString = reply else { throw HealthProbeError(reply: "\(reply)") }
        } catch {
            self.connections.withLockedValue { if $0[server] === connection { $0[server] = nil } }
            await connection.close()
            throw error
        }
    }

    /// Servers added to the pool after it started, at the next indices.
    func addEndpoints(_ endpoints: [SocketEndpoint]) {
        self.endpoints.withLockedValue { $0 += endpoints }
    }

    func close() async {
        let connections = self.connections.withLockedValue { connections in
            defer { connections = [:] }
            return connections.values
        }
        for connection in connections { await connection.close() }
    }
}

/// A PING answered with something other than PONG, such as `-LOADING` or `-NOAUTH`.
struct HealthProbeError: Error, CustomStringConvertible {
    let reply: String
    var description: String { "PING answered \(self.reply)" }
}
