import LoadBalancer
import PoolProxyConfig
import Testing

@Suite("pool-proxy --listen/--backend")
struct CommandLineTests {
    @Test func onePoolNamedDefaultWithTwemproxyDefaults() throws {
        let configuration = try ProxyConfiguration.commandLine(
            listen: "127.0.0.1:7000",
            backends: ["127.0.0.1:6379", "127.0.0.1:6380:3", "[::1]:6381", "[::1]:6382:2"]
        )
        #expect(configuration.pools.count == 1)
        let pool = configuration.pools[0]
        var expected = ServerPoolConfiguration(name: "default", listen: .tcp(host: "127.0.0.1", port: 7000))
        expected.servers = [
            TwemproxyServer(host: "127.0.0.1", port: 6379, weight: 1),
            TwemproxyServer(host: "127.0.0.1", port: 6380, weight: 3),
            TwemproxyServer(host: "::1", port: 6381, weight: 1),
            TwemproxyServer(host: "::1", port: 6382, weight: 2),
        ]
        #expect(pool == expected)
    }

    @Test func hashDistributionTagAndTimeout() throws {
        let pool = try ProxyConfiguration.commandLine(
            listen: "/tmp/pool-proxy.sock 0660",
            backends: ["redis:6379"],
            hash: "murmur",
            hashTag: "{}",
            distribution: "modula",
            timeout: 250
        ).pools[0]
        #expect(pool.listen == .unix(path: "/tmp/pool-proxy.sock", permissions: 0o660))
        #expect(pool.hash == .murmur)
        #expect(pool.hashTag == TwemproxyHashTag("{}"))
        #expect(pool.distribution == .modula)
        #expect(pool.timeout == .milliseconds(250))
        let forever = try ProxyConfiguration.commandLine(listen: "127.0.0.1:7000", backends: ["a:1"], timeout: 0)
        #expect(forever.pools[0].timeout == nil)
    }

    static let errors: [(listen: String, backends: [String], hash: String, timeout: Int?, message: String)] = [
        (
            "127.0.0.1", ["127.0.0.1:6379"], "fnv1a_64", nil,
            "--listen: '127.0.0.1' is not host:port, [v6]:port or /path/to.sock [0666]"
        ),
        ("127.0.0.1:7000", [], "fnv1a_64", nil, "--backend: at least one --backend host:port is required"),
        (
            "127.0.0.1:7000", ["127.0.0.1"], "fnv1a_64", nil,
            "--backend: missing port in '127.0.0.1'; expected 'host:port[:weight]'"
        ),
        ("127.0.0.1:7000", ["127.0.0.1:6379:0"], "fnv1a_64", nil, "--backend: weight must be at least 1, found 0"),
        (
            "127.0.0.1:7000", ["127.0.0.1:99999"], "fnv1a_64", nil,
            "--backend: port 99999 is out of range 1...65535"
        ),
        (
            "127.0.0.1:7000", ["::1:6379"], "fnv1a_64", nil,
            "--backend: '::1:6379' has too many colons; write IPv6 addresses in brackets, such as [::1]:6379"
        ),
        (
            "127.0.0.1:7000", ["127.0.0.1:6379", "127.0.0.1:6379:2"], "fnv1a_64", nil,
            "--backend: duplicate backend 127.0.0.1:6379"
        ),
        (
            "127.0.0.1:7000", ["127.0.0.1:6379 name"], "fnv1a_64", nil,
            "--backend: '127.0.0.1:6379 name' is not 'host:port[:weight]'"
        ),
        (
            "127.0.0.1:7000", ["127.0.0.1:6379"], "sha1", nil,
            "--hash: unknown hash 'sha1'; expected one of fnv1a_64, fnv1_64, fnv1a_32, fnv1_32, crc16, crc32, crc32a, "
                + "md5, one_at_a_time, hsieh, murmur, jenkins"
        ),
        ("127.0.0.1:7000", ["127.0.0.1:6379"], "fnv1a_64", -1, "--timeout: must not be negative, found -1"),
    ]

    @Test(arguments: 0..<Self.errors.count)
    func rejects(_ index: Int) {
        let example = Self.errors[index]
        let error = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration.commandLine(
                listen: example.listen,
                backends: example.backends,
                hash: example.hash,
                timeout: example.timeout
            )
        }
        #expect(error?.description == example.message)
        #expect(error?.file == "")
        #expect(error?.line == nil)
    }

    @Test func badDistributionAndHashTag() {
        let distribution = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration.commandLine(listen: "127.0.0.1:7000", backends: ["a:1"], distribution: "ring")
        }
        #expect(
            distribution?.description
                == "--distribution: unknown distribution 'ring'; expected one of ketama, modula, random"
        )
        let tag = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration.commandLine(listen: "127.0.0.1:7000", backends: ["a:1"], hashTag: "{")
        }
        #expect(tag?.description == "--hash-tag: expected exactly two characters such as \"{}\", found '{'")
    }
}
