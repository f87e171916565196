import Foundation
import PoolProxyConfig
import Testing

@Suite("tls and backend_tls")
struct TLSConfigurationTests {
    /// The decoder only checks that files can be read; the proxy loads the certificates when the pool starts.
    private static func withFiles<Result>(_ body: (String, String) throws -> Result) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("server.crt").path
        let key = directory.appendingPathComponent("server.key").path
        try "certificate".write(toFile: certificate, atomically: true, encoding: .utf8)
        try "key".write(toFile: key, atomically: true, encoding: .utf8)
        return try body(certificate, key)
    }

    private static func failure(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try ProxyConfiguration(yaml: yaml, file: "nutcracker.yml")
            return nil
        } catch {
            return error
        }
    }

    @Test("tls and backend_tls decode, with a TLS listener beside the plain one")
    func decodes() throws {
        try Self.withFiles { certificate, key in
            let pool = try ProxyConfiguration(
                yaml: NutcrackerExamples.alpha(
                    """
                      tls:
                        listen: 127.0.0.1:6380
                        cert_file: \(certificate)
                        key_file: \(key)
                        ca_file: \(certificate)
                        min_version: "1.3"
                      backend_tls:
                        ca_file: \(certificate)
                        server_name: redis.internal
                        verify: false

                    """
                ),
                file: "nutcracker.yml"
            ).pools[0]
            #expect(pool.tls?.listen == .tcp(host: "127.0.0.1", port: 6380))
            #expect(pool.tls?.clientCAFile == certificate)
            #expect(pool.tls?.minimumVersion == .v1_3)
            #expect(pool.backendTLS?.serverName == "redis.internal")
            #expect(pool.backendTLS?.verify == false)
        }
    }

    @Test("bad TLS settings name the key and the reason")
    func errors() throws {
        try Self.withFiles { certificate, key in
            let cases: [(String, String, String)] = [
                ("  tls:\n    cert_file: \(certificate)\n", "alpha.tls", "missing required key 'key_file'"),
                (
                    "  tls:\n    cert_file: /nonexistent.crt\n    key_file: \(key)\n", "alpha.tls.cert_file",
                    "/nonexistent.crt: cannot open the file"
                ),
                (
                    "  tls:\n    cert_file: \(certificate)\n    key_file: \(key)\n    min_version: \"1.1\"\n",
                    "alpha.tls.min_version", "older versions are never accepted"
                ),
                (
                    "  tls:\n    listen: 127.0.0.1:22121\n    cert_file: \(certificate)\n    key_file: \(key)\n",
                    "alpha.tls.listen", "also the pool's plain listen address"
                ),
                (
                    "  backend_tls:\n    cert_file: \(certificate)\n", "alpha.backend_tls",
                    "cert_file and key_file go together"
                ),
                ("  backend_tls:\n    verify: maybe\n", "alpha.backend_tls.verify", "expected true or false"),
            ]
            for (body, key, reason) in cases {
                let error = try #require(Self.failure(NutcrackerExamples.alpha(body)), "\(key)")
                #expect(error.key == key, "\(error)")
                #expect(error.reason.contains(reason), "\(error)")
            }
        }
    }

    @Test("changing tls rebinds the listener on reload")
    func tlsChangeRebinds() {
        var old = ServerPoolConfiguration(name: "alpha", listen: .tcp(host: "127.0.0.1", port: 1))
        var new = old
        new.tls = ClientTLSSettings(certificateFile: "a", keyFile: "b")
        #expect(ServerPoolChange(old: old, new: new).listenChanged)
        old.backendTLS = BackendTLSSettings()
        #expect(ServerPoolChange(old: old, new: new).changedKeys == ["tls", "backend_tls"])
    }
}
