import CacheClient
import NIOCore
import RESPCodec
import RedisTestSupport
import Testing

/// CacheClient over TLS to a real `redis-server --tls-port`, with certificates made by openssl for the test.
@Suite(.blockingAllowed, .serialized) struct CacheClientTLSIntegrationTests {
    private static func configuration(tlsPort: Int, caFile: String, verifies: Bool = true) -> CacheClientConfiguration {
        var configuration = CacheClientHarness.configuration(ports: [tlsPort])
        configuration.tls = CacheTLSConfiguration(
            isEnabled: true,
            verifiesCertificates: verifies,
            caFile: caFile,
            serverName: "localhost"
        )
        return configuration
    }

    @Test func valuesRoundTripOverVerifiedTLS() async throws {
        let pki = try TestCertificates.make()
        defer { pki.remove() }
        let tlsPort = try RedisServer.freeLoopbackPort()
        let server = try RedisServer.start(extraArguments: pki.redisTLSArguments(port: tlsPort))
        defer { server.stop() }

        let (client, report) = try await CacheClientHarness.start(
            Self.configuration(tlsPort: tlsPort, caFile: pki.caFile)
        )
        #expect(report.nodes.allSatisfy { $0.isComplete }, "\(report)")
        try await client.set("over-tls", ByteBuffer(string: "secret value"))
        #expect(try await client.get("over-tls") == ByteBuffer(string: "secret value"))
        await client.shutdown()
        // The value really is in the server, behind the raw-value header byte.
        #expect(try server.cli(["GET", "over-tls"]).hasSuffix("secret value\n"))
    }

    @Test func anUntrustedServerCertificateIsRefusedAndReported() async throws {
        let pki = try TestCertificates.make()
        defer { pki.remove() }
        let tlsPort = try RedisServer.freeLoopbackPort()
        let server = try RedisServer.start(extraArguments: pki.redisTLSArguments(port: tlsPort))
        defer { server.stop() }

        let (client, report) = try await CacheClientHarness.start(
            Self.configuration(tlsPort: tlsPort, caFile: pki.otherCAFile)
        )
        #expect(report.nodes.map(\.ready) == [0], "no connection is trusted: \(report)")
        #expect(report.nodes.first?.error != nil)
        let start = ContinuousClock.now
        await #expect(throws: CacheError.self) { try await client.get("k") }
        #expect(ContinuousClock.now - start < .seconds(5), "fails, never hangs")
        await client.shutdown()

        // Turning verification off is an explicit choice, and then the same server is reachable.
        let (unverified, unverifiedReport) = try await CacheClientHarness.start(
            Self.configuration(tlsPort: tlsPort, caFile: pki.otherCAFile, verifies: false)
        )
        #expect(unverifiedReport.nodes.allSatisfy { $0.isComplete }, "\(unverifiedReport)")
        try await unverified.set("k", ByteBuffer(string: "v"))
        await unverified.shutdown()
    }
}
