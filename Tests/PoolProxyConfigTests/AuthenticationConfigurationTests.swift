import Foundation
import PoolProxyConfig
import Testing

@Suite("client_auth, backend_auth and secrets")
struct AuthenticationConfigurationTests {
    private static let passwordDigest = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"

    private static func load(_ yaml: String) throws -> ServerPoolConfiguration {
        try ProxyConfiguration(yaml: yaml, file: "nutcracker.yml").pools[0]
    }

    private static func failure(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try ProxyConfiguration(yaml: yaml, file: "nutcracker.yml")
            return nil
        } catch {
            return error
        }
    }

    // MARK: - SHA-256

    @Test("SHA-256 matches the FIPS 180-4 test vectors, across block boundaries")
    func sha256Vectors() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (String(repeating: "a", count: 1_000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        ]
        for (input, expected) in vectors {
            #expect(PasswordDigest(hashing: Array(input.utf8)).hex == expected, "\(input.prefix(10))")
        }
    }

    @Test("digests parse from hex in either case and match only their own password")
    func digestMatching() throws {
        let digest = try #require(PasswordDigest(hex: Self.passwordDigest.uppercased()))
        #expect(digest.matches(Array("password".utf8)))
        #expect(!digest.matches(Array("Password".utf8)))
        #expect(!digest.matches([]))
        #expect(PasswordDigest(hex: "xyz") == nil)
        #expect(PasswordDigest(hex: String(Self.passwordDigest.dropLast()) + "g") == nil)
        #expect("\(digest)" == "PasswordDigest(<redacted>)")
    }

    // MARK: - Decoding

    @Test("client_auth users, failure_delay and backend_auth decode")
    func decodesAuthentication() throws {
        let pool = try Self.load(
            NutcrackerExamples.alpha(
                """
                  client_auth:
                    users:
                      - name: app
                        password_sha256: \(Self.passwordDigest)
                    failure_delay: 250
                  backend_auth:
                    username: proxy
                    password: backend-secret

                """
            )
        )
        #expect(pool.clientAuth?.users.map(\.name) == ["app"])
        #expect(pool.clientAuth?.failureDelay == .milliseconds(250))
        #expect(pool.clientUsers["app"]?.matches(Array("password".utf8)) == true)
        #expect(pool.serverCredentials == BackendAuthSettings(username: "proxy", password: "backend-secret"))
        #expect(!"\(pool)".contains("backend-secret") && !"\(pool.backendAuth!)".contains("backend-secret"))
    }

    @Test("redis_auth keeps twemproxy's meaning: the default user's password, and the backend password")
    func redisAuthIsBothSides() throws {
        let pool = try Self.load(NutcrackerExamples.alpha("  redis_auth: twem\n"))
        #expect(pool.clientUsers.keys.sorted() == ["default"])
        #expect(pool.clientUsers["default"]?.matches(Array("twem".utf8)) == true)
        #expect(pool.serverCredentials == BackendAuthSettings(password: "twem"))
        let withBackend = try Self.load(
            NutcrackerExamples.alpha("  redis_auth: twem\n  backend_auth:\n    password: other\n")
        )
        #expect(withBackend.serverCredentials == BackendAuthSettings(password: "other"))
    }

    @Test("secrets come from a file (one trailing newline dropped) or the environment")
    func secretsFromFileAndEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("password").path
        try "from file \n".write(toFile: file, atomically: true, encoding: .utf8)
        let name = "POOL_PROXY_TEST_SECRET_\(UInt32.random(in: 0...UInt32.max))"
        setenv(name, "from environment", 1)
        defer { unsetenv(name) }
        let pool = try Self.load(
            NutcrackerExamples.alpha(
                """
                  redis_auth: { env: \(name) }
                  backend_auth:
                    password: { file: \(file) }

                """
            )
        )
        #expect(pool.redisAuth == "from environment")
        #expect(pool.backendAuth?.password == "from file ")
    }

    @Test("bad authentication settings name the key and never quote a secret")
    func errors() throws {
        let cases: [(String, String, String)] = [
            ("  client_auth:\n    users: []\n", "alpha.client_auth", "no users"),
            (
                "  redis_auth: x\n  client_auth:\n    users:\n      - name: default\n        password_sha256: \(Self.passwordDigest)\n",
                "alpha.client_auth", "redis_auth already sets"
            ),
            (
                "  client_auth:\n    users:\n      - name: app\n        password_sha256: hunter2\n",
                "alpha.client_auth.users[0].password_sha256", "64 hexadecimal digits"
            ),
            (
                "  client_auth:\n    users:\n      - password_sha256: \(Self.passwordDigest)\n",
                "alpha.client_auth.users[0]", "missing required key 'name'"
            ),
            ("  backend_auth:\n    username: proxy\n", "alpha.backend_auth", "missing required key 'password'"),
            (
                "  backend_auth:\n    password: { env: POOL_PROXY_SURELY_UNSET_VARIABLE }\n",
                "alpha.backend_auth.password.env", "POOL_PROXY_SURELY_UNSET_VARIABLE is not set"
            ),
            (
                "  redis_auth: { file: /nonexistent/secret }\n", "alpha.redis_auth.file",
                "/nonexistent/secret: cannot open"
            ),
            ("  redis_auth: { vault: x }\n", "alpha.redis_auth.vault", "unknown key 'vault'"),
        ]
        for (body, key, reason) in cases {
            let error = try #require(Self.failure(NutcrackerExamples.alpha(body)), "\(key)")
            #expect(error.key == key, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("a reload that changes credentials lists the keys, not the values")
    func changesNameTheKeys() {
        var old = ServerPoolConfiguration(name: "alpha", listen: .tcp(host: "127.0.0.1", port: 1))
        old.backendAuth = BackendAuthSettings(password: "one")
        var new = old
        new.backendAuth = BackendAuthSettings(password: "two")
        new.clientAuth = ClientAuthSettings()
        #expect(ServerPoolChange(old: old, new: new).changedKeys == ["client_auth", "backend_auth"])
    }
}
