import Foundation

/// A throw-away PKI made with `openssl` for TLS tests: a CA, a server certificate for `localhost` and `127.0.0.1`,
/// a client certificate, a client certificate from another CA, and an expired client certificate.
///
/// ```swift
/// let pki = try TestCertificates.make()
/// defer { pki.remove() }
/// let server = try RedisServer.start(extraArguments: pki.redisTLSArguments(port: tlsPort))
/// ```
public struct TestCertificates: Sendable {
    public let directory: URL

    public var caFile: String { self.path("ca.crt") }
    public var serverCertificateFile: String { self.path("server.crt") }
    public var serverKeyFile: String { self.path("server.key") }
    public var clientCertificateFile: String { self.path("client.crt") }
    public var clientKeyFile: String { self.path("client.key") }
    /// A second, unrelated CA, and a client certificate it signed.
    public var otherCAFile: String { self.path("other-ca.crt") }
    public var strangerCertificateFile: String { self.path("stranger.crt") }
    public var strangerKeyFile: String { self.path("stranger.key") }
    /// Signed by the CA, but its validity ended yesterday.
    public var expiredCertificateFile: String { self.path("expired.crt") }
    public var expiredKeyFile: String { self.path("expired.key") }

    public func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    /// Generates everything in a new temporary directory (P-256 keys, so it takes a fraction of a second).
    public static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pki = TestCertificates(directory: directory)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(
            toFile: pki.path("san.ext"),
            atomically: true,
            encoding: .utf8
        )
        for ca in ["ca", "other-ca"] {
            try Self.openssl(
                ["req", "-x509"] + key + [
                    "-keyout", pki.path("\(ca).key"), "-out", pki.path("\(ca).crt"), "-subj",
                    "/CN=pool-proxy test \(ca)",
                    "-days", "2",
                ]
            )
        }
        let leaves: [(name: String, ca: String, days: String)] = [
            ("server", "ca", "2"), ("client", "ca", "2"), ("stranger", "other-ca", "2"), ("expired", "ca", "-1"),
        ]
        for leaf in leaves {
            try Self.openssl(
                ["req"] + key + [
                    "-keyout", pki.path("\(leaf.name).key"), "-out", pki.path("\(leaf.name).csr"),
                    "-subj", "/CN=\(leaf.name)",
                ]
            )
            try Self.openssl([
                "x509", "-req", "-in", pki.path("\(leaf.name).csr"), "-CA", pki.path("\(leaf.ca).crt"),
                "-CAkey", pki.path("\(leaf.ca).key"), "-CAcreateserial", "-out", pki.path("\(leaf.name).crt"),
                "-days", leaf.days, "-extfile", pki.path("san.ext"),
            ])
        }
        return pki
    }

    /// redis-server arguments for a TLS port beside its plain one, with this PKI's server certificate. Clients
    /// may present a certificate, but need not, unless `requireClientCertificates`.
    public func redisTLSArguments(port: Int, requireClientCertificates: Bool = false) -> [String] {
        [
            "--tls-port", String(port), "--tls-cert-file", self.serverCertificateFile, "--tls-key-file",
            self.serverKeyFile, "--tls-ca-cert-file", self.caFile, "--tls-auth-clients",
            requireClientCertificates ? "yes" : "optional",
        ]
    }

    public func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }

    private static func openssl(_ arguments: [String]) throws {
        guard let executable = RedisServer.which("openssl") else {
            throw RedisServer.StartError(description: "openssl is not installed; run Scripts/test, which installs it")
        }
        guard try ProcessLauncher.runToCompletion(executable, arguments) == 0 else {
            throw RedisServer.StartError(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed")
        }
    }
}
