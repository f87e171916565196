import Foundation
import LoadBalancer
import PoolProxyConfig
import RedisTestSupport
import Testing

/// TLS from clients (beside a plain listener, with client certificates) and to a real `redis-server --tls-port`,
/// with certificates made by `openssl` for the test. Hostile handshakes are refused and nobody else notices.
@Suite("TLS to clients and to servers", .blockingAllowed)
struct TLSTests {
    private struct CLIResult: Sendable {
        let status: Int32
        let output: String
    }

    /// One TLS backend, and a pool with a plain listener plus a TLS listener that requires client certificates.
    private static func withTLSProxy<Result: Sendable>(
        backendRequiresClientCertificates: Bool = false,
        backendTLS: (TestCertificates) -> BackendTLSSettings? = { pki in
            var settings = BackendTLSSettings()
            settings.caFile = pki.caFile
            settings.serverName = "localhost"
            return settings
        },
        _ body:
            @escaping @Sendable (TestCertificates, _ plainPort: Int, _ tlsPort: Int, _ backend: RedisServer) throws
            -> Result
    ) async throws -> Result {
        let pki = try TestCertificates.make()
        defer { pki.remove() }
        let backendTLSPort = try RedisServer.freeLoopbackPort()
        let redisArguments = pki.redisTLSArguments(
            port: backendTLSPort,
            requireClientCertificates: backendRequiresClientCertificates
        )
        return try await ProxyHarness.with(redisArguments: redisArguments) { pool in
            pool.servers = [TwemproxyServer(host: "127.0.0.1", port: backendTLSPort)]
            var tls = ClientTLSSettings(certificateFile: pki.serverCertificateFile, keyFile: pki.serverKeyFile)
            tls.listen = .tcp(host: "127.0.0.1", port: 0)
            tls.clientCAFile = pki.caFile
            pool.tls = tls
            pool.backendTLS = backendTLS(pki)
        } _: { harness in
            let tlsPort = try #require(harness.proxy.tlsLocalAddress(ofPool: "test")?.port)
            let plainPort = harness.port
            let backend = harness.servers[0]
            return try await ProxyBlockingThread.run { try body(pki, plainPort, tlsPort, backend) }
        }
    }

    private static func cli(port: Int, tls: [String], _ arguments: [String]) throws -> CLIResult {
        guard let executable = RedisServer.which("redis-cli") else {
            throw RedisServer.StartError(description: "redis-cli is not installed; run Scripts/test, which installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-h", "127.0.0.1", "-p", String(port)] + tls + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    private static func clientTLS(_ pki: TestCertificates, certificate: String?, key: String?) -> [String] {
        var arguments = ["--tls", "--cacert", pki.caFile, "--sni", "localhost"]
        if let certificate, let key { arguments += ["--cert", certificate, "--key", key] }
        return arguments
    }

    @Test("a client with a certificate reaches a TLS redis-server through the TLS listener; the plain one still works")
    func tlsBothWays() async throws {
        let results = try await Self.withTLSProxy { pki, plainPort, tlsPort, backend in
            let tls = Self.clientTLS(pki, certificate: pki.clientCertificateFile, key: pki.clientKeyFile)
            let set = try Self.cli(port: tlsPort, tls: tls, ["SET", "tls-key", "over-tls"])
            let get = try Self.cli(port: plainPort, tls: [], ["GET", "tls-key"])
            let stored = try backend.cli(["GET", "tls-key"])
            return [set.output, get.output, stored]
        }
        #expect(results == ["OK\n", "over-tls\n", "over-tls\n"])
    }

    @Test("no certificate, a stranger's, an expired one, or plaintext: refused, and a good client carries on")
    func hostileHandshakesAreRefused() async throws {
        struct Observed: Sendable {
            var refused: [String: CLIResult] = [:]
            var plaintextClosed = false
            var plaintextReply = ""
            var goodAfterwards = ""
        }
        let observed = try await Self.withTLSProxy { pki, _, tlsPort, _ in
            var observed = Observed()
            let attempts: [(String, String?, String?)] = [
                ("no certificate", nil, nil),
                ("another CA's certificate", pki.strangerCertificateFile, pki.strangerKeyFile),
                ("an expired certificate", pki.expiredCertificateFile, pki.expiredKeyFile),
            ]
            for (label, certificate, key) in attempts {
                observed.refused[label] = try Self.cli(
                    port: tlsPort,
                    tls: Self.clientTLS(pki, certificate: certificate, key: key),
                    ["PING"]
                )
            }
            let plaintext = try ProxyRawSocket(port: tlsPort)
            try plaintext.send("*1\r\n$4\r\nPING\r\n")
            observed.plaintextReply = try plaintext.read(until: "\r\n", timeout: .seconds(5))
            observed.plaintextClosed = try plaintext.waitForClose(timeout: .seconds(5))
            observed.goodAfterwards =
                try Self.cli(
                    port: tlsPort,
                    tls: Self.clientTLS(pki, certificate: pki.clientCertificateFile, key: pki.clientKeyFile),
                    ["PING"]
                ).output
            return observed
        }
        for (label, result) in observed.refused {
            #expect(!result.output.contains("PONG"), "\(label): \(result.output)")
        }
        #expect(observed.refused.count == 3)
        #expect(!observed.plaintextReply.contains("PONG"))
        #expect(observed.plaintextClosed, "plaintext on the TLS port is closed")
        #expect(observed.goodAfterwards == "PONG\n")
    }

    @Test("a backend that requires client certificates accepts the proxy's, and refuses the proxy without one")
    func backendClientCertificates() async throws {
        let accepted = try await Self.withTLSProxy(
            backendRequiresClientCertificates: true,
            backendTLS: { pki in
                var settings = BackendTLSSettings()
                settings.caFile = pki.caFile
                settings.serverName = "localhost"
                settings.certificateFile = pki.clientCertificateFile
                settings.keyFile = pki.clientKeyFile
                return settings
            }
        ) { _, plainPort, _, _ in
            try Self.cli(port: plainPort, tls: [], ["SET", "k", "v"]).output
        }
        #expect(accepted == "OK\n")
        // The server refuses the handshake after it completes on the proxy's side (TLS 1.3): every request must
        // still get an answer. Several in a row, since that path once left the link unable to reconnect.
        let refused = try await Self.withTLSProxy(backendRequiresClientCertificates: true) { _, plainPort, _, _ in
            let client = try ProxyRawSocket(port: plainPort)
            var replies: [String] = []
            for _ in 0..<30 {
                try client.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")
                replies.append(try client.read(until: "\r\n", timeout: .seconds(5)))
                usleep(20_000)
            }
            return replies
        }
        #expect(refused.count == 30)
        #expect(
            refused.allSatisfy { $0.hasPrefix("-ERR pool-proxy: backend") },
            "\(refused.filter { !$0.hasPrefix("-ERR") })"
        )
    }

    @Test("a backend certificate from an unknown CA fails requests with the reason; verify: false is a choice")
    func backendVerification() async throws {
        let refused = try await Self.withTLSProxy(backendTLS: { pki in
            var settings = BackendTLSSettings()
            settings.caFile = pki.otherCAFile
            settings.serverName = "localhost"
            return settings
        }) { _, plainPort, _, _ in
            try Self.cli(port: plainPort, tls: [], ["GET", "k"]).output
        }
        #expect(refused.hasPrefix("ERR pool-proxy: backend"), "\(refused)")
        #expect(refused.lowercased().contains("certificate") || refused.lowercased().contains("tls"), "\(refused)")

        let unverified = try await Self.withTLSProxy(backendTLS: { pki in
            var settings = BackendTLSSettings()
            settings.caFile = pki.otherCAFile
            settings.verify = false
            return settings
        }) { _, plainPort, _, _ in
            try Self.cli(port: plainPort, tls: [], ["SET", "k", "v"]).output
        }
        #expect(unverified == "OK\n")
    }
}
