import NIOConcurrencyHelpers
import SocketIO

/// The active health check of one node: PING over a long-lived connection of its own (not a pooled one, so a
/// busy pool cannot starve the check), reopened after a failure.
final class NodeProbe: Sendable {
    private let endpoint: SocketEndpoint
    private let configuration: RESPConnectionConfiguration
    private let connection = NIOLockedValueBox<RESPConnection?>(nil)

    init(endpoint: SocketEndpoint, configuration: RESPConnectionConfiguration) {
        self.endpoint = endpoint
        self.configuration = configuration
    }

    func check() async throws {
        let connection: RESPConnection
        if let existing = self.connection.withLockedValue({ $0 }), existing.isHealthy {
            connection = existing
        } else {
            connection = try await RESPConnection.connect(to: self.endpoint, configuration: self.configuration)
            let previous = self.connection.withLockedValue { current in
                defer { current = connection }
                return current
            }
            await previous?.close()
        }
        do {
            try CacheConnection.verifyPong(try await connection.send("PING"))
        } catch {
            self.connection.withLockedValue { if $0 === connection { $0 = nil } }
            await connection.close()
            throw error
        }
    }

    func close() async {
        let connection = self.connection.withLockedValue { current in
            defer { current = nil }
            return current
        }
        await connection?.close()
    }
}
