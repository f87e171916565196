import PoolProxyConfig
import Testing

@Suite("nutcracker.yml errors")
struct ConfigurationErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let yaml: String
        let message: String
        var testDescription: String { self.label }

        init(_ label: String, _ yaml: String, _ message: String) {
            self.label = label
            self.yaml = yaml
            self.message = message
        }
    }

    static let alpha = NutcrackerExamples.alpha

    static let cases: [Case] = [
        // The file as a whole.
        Case("empty file", "", "nutcracker.yml: the file has no pools"),
        Case("only comments", "# nothing here\n\n", "nutcracker.yml: the file has no pools"),
        Case(
            "top level is a list",
            "- alpha\n- beta\n",
            "nutcracker.yml:1: expected a mapping of pool names to pools, found a list"
        ),
        Case(
            "pool is not a mapping",
            "alpha: 127.0.0.1:22121\n",
            "nutcracker.yml:1: alpha: expected a mapping of pool settings, found '127.0.0.1:22121'"
        ),
        Case(
            "YAML syntax error",
            "alpha:\n  listen: 127.0.0.1:22121\n   hash: fnv1a_64\n",
            "nutcracker.yml:3: invalid YAML: mapping values are not allowed in this context"
        ),
        Case(
            "duplicate key",
            "alpha:\n  listen: 127.0.0.1:22121\n  listen: 127.0.0.1:22122\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: duplicate key 'listen'; each key may appear only once in a mapping"
        ),
        // Keys.
        Case(
            "unknown key with a suggestion",
            alpha("  hash_tags: \"{}\"\n"),
            "nutcracker.yml:3: alpha.hash_tags: unknown key 'hash_tags'; did you mean 'hash_tag'?"
        ),
        Case(
            "unknown key",
            alpha("  sentinel: true\n"),
            "nutcracker.yml:3: alpha.sentinel: unknown key 'sentinel'"
        ),
        Case(
            "missing listen",
            "alpha:\n  redis: true\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:1: alpha: missing required key 'listen'"
        ),
        Case(
            "missing servers",
            "alpha:\n  listen: 127.0.0.1:22121\n",
            "nutcracker.yml:1: alpha: missing required key 'servers'"
        ),
        Case(
            "empty servers",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers: []\n",
            "nutcracker.yml:3: alpha.servers: the pool has no servers"
        ),
        Case(
            "null servers",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n",
            "nutcracker.yml:3: alpha.servers: the pool has no servers"
        ),
        Case(
            "memcached pool",
            alpha("  redis: false\n"),
            "nutcracker.yml:3: alpha.redis: memcached pools (redis: false) are not supported; "
                + "pool-proxy speaks only the Redis protocol"
        ),
        // Types.
        Case(
            "duration with a unit",
            alpha("  timeout: 1s\n"),
            "nutcracker.yml:3: alpha.timeout: expected an integer number of milliseconds, found '1s'"
        ),
        Case(
            "number as a list",
            alpha("  backlog: [1]\n"),
            "nutcracker.yml:3: alpha.backlog: expected an integer, found a list"
        ),
        Case(
            "yes is not a boolean here",
            alpha("  preconnect: yes\n"),
            "nutcracker.yml:3: alpha.preconnect: expected true or false, found 'yes'"
        ),
        Case(
            "empty value",
            alpha("  hash:\n"),
            "nutcracker.yml:3: alpha.hash: expected a hash name, found nothing"
        ),
        Case(
            "listen as a mapping",
            "alpha:\n  listen: {host: localhost}\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: alpha.listen: expected an address (host:port, [v6]:port or /path/to.sock [0666]), "
                + "found a mapping"
        ),
        Case(
            "server entry as a mapping",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - host: 127.0.0.1\n",
            "nutcracker.yml:4: alpha.servers[0]: expected 'host:port:weight [name]', found a mapping"
        ),
        // Ranges.
        Case(
            "negative timeout",
            alpha("  timeout: -5\n"),
            "nutcracker.yml:3: alpha.timeout: must not be negative, found -5"
        ),
        Case(
            "zero server connections",
            alpha("  server_connections: 0\n"),
            "nutcracker.yml:3: alpha.server_connections: must be at least 1, found 0"
        ),
        Case(
            "huge backlog",
            alpha("  backlog: 99999999999\n"),
            "nutcracker.yml:3: alpha.backlog: must be at most 2147483647, found 99999999999"
        ),
        Case(
            "zero connect timeout",
            alpha("  connect_timeout: 0\n"),
            "nutcracker.yml:3: alpha.connect_timeout: must be at least 1, found 0"
        ),
        Case(
            "negative database",
            alpha("  redis_db: -1\n"),
            "nutcracker.yml:3: alpha.redis_db: must not be negative, found -1"
        ),
        // Listen addresses.
        Case(
            "listen port out of range",
            "alpha:\n  listen: 127.0.0.1:70000\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: alpha.listen: port 70000 is out of range 1...65535"
        ),
        Case(
            "listen port zero",
            "alpha:\n  listen: 127.0.0.1:0\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: alpha.listen: port 0 is out of range 1...65535"
        ),
        Case(
            "listen without port",
            "alpha:\n  listen: localhost\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: alpha.listen: 'localhost' is not host:port, [v6]:port or /path/to.sock [0666]"
        ),
        Case(
            "listen with a bad port",
            "alpha:\n  listen: 127.0.0.1:http\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: alpha.listen: invalid port 'http' in '127.0.0.1:http'"
        ),
        Case(
            "socket permissions not octal",
            "alpha:\n  listen: /tmp/proxy.sock 0999\n  servers:\n   - 127.0.0.1:6379:1\n",
            "nutcracker.yml:2: alpha.listen: invalid socket permissions '0999'; expected octal such as 0666"
        ),
        // Hashing.
        Case(
            "unknown hash",
            alpha("  hash: fnv9\n"),
            "nutcracker.yml:3: alpha.hash: unknown hash 'fnv9'; expected one of fnv1a_64, fnv1_64, fnv1a_32, "
                + "fnv1_32, crc16, crc32, crc32a, md5, one_at_a_time, hsieh, murmur, jenkins"
        ),
        Case(
            "unknown distribution",
            alpha("  distribution: consistent\n"),
            "nutcracker.yml:3: alpha.distribution: unknown distribution 'consistent'; "
                + "expected one of ketama, modula, random"
        ),
        Case(
            "hash tag of one character",
            alpha("  hash_tag: \"{\"\n"),
            "nutcracker.yml:3: alpha.hash_tag: expected exactly two characters such as \"{}\", found '{'"
        ),
        Case(
            "hash tag left unquoted",
            alpha("  hash_tag: {}\n"),
            "nutcracker.yml:3: alpha.hash_tag: found a mapping; quote the two characters, as in hash_tag: \"{}\""
        ),
        Case(
            "hash tag of three characters",
            alpha("  hash_tag: \"{}}\"\n"),
            "nutcracker.yml:3: alpha.hash_tag: expected exactly two characters such as \"{}\", found '{}}'"
        ),
        // Servers.
        Case(
            "server without weight",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6379:1\n   - 127.0.0.1:6380\n",
            "nutcracker.yml:5: alpha.servers[1]: missing weight in '127.0.0.1:6380'; "
                + "expected 'host:port:weight [name]'"
        ),
        Case(
            "server weight zero",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6379:0\n",
            "nutcracker.yml:4: alpha.servers[0]: weight must be at least 1, found 0"
        ),
        Case(
            "server port out of range",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:65536:1\n",
            "nutcracker.yml:4: alpha.servers[0]: port 65536 is out of range 1...65535"
        ),
        Case(
            "server with two names",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6379:1 a b\n",
            "nutcracker.yml:4: alpha.servers[0]: '127.0.0.1:6379:1 a b' is not 'host:port:weight [name]'"
        ),
        Case(
            "unix socket server",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - /tmp/redis.sock:1\n",
            "nutcracker.yml:4: alpha.servers[0]: Unix socket servers ('/tmp/redis.sock:1') are not supported; "
                + "use 'host:port:weight [name]'"
        ),
        Case(
            "duplicate server address",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6379:1 a\n   - 127.0.0.1:6379:2 b\n",
            "nutcracker.yml:5: alpha.servers[1]: duplicate server address 127.0.0.1:6379 (also servers[0])"
        ),
        Case(
            "duplicate server name",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 10.0.0.1:6379:1 a\n   - 10.0.0.2:6379:1 b\n"
                + "   - 10.0.0.3:6379:1 a\n",
            "nutcracker.yml:6: alpha.servers[2]: duplicate server name 'a' (also servers[0])"
        ),
        // Pools together.
        Case(
            "two pools on one address",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6379:1\n"
                + "beta:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6380:1\n",
            "nutcracker.yml:6: beta.listen: 127.0.0.1:22121 is already the listen address of pool 'alpha'"
        ),
        Case(
            "two pools on one socket",
            "alpha:\n  listen: /tmp/p.sock 0600\n  servers:\n   - 127.0.0.1:6379:1\n"
                + "beta:\n  listen: /tmp/p.sock\n  servers:\n   - 127.0.0.1:6380:1\n",
            "nutcracker.yml:6: beta.listen: /tmp/p.sock is already the listen address of pool 'alpha'"
        ),
        Case(
            "duplicate pool name",
            "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:6379:1\n"
                + "alpha:\n  listen: 127.0.0.1:22122\n  servers:\n   - 127.0.0.1:6380:1\n",
            "nutcracker.yml:1: duplicate key 'alpha'; each key may appear only once in a mapping"
        ),
        // Extensions.
        Case(
            "health check as a number",
            alpha("  health_check: 5\n"),
            "nutcracker.yml:3: alpha.health_check: expected a mapping of settings or false, found '5'"
        ),
        Case(
            "health check unknown key",
            alpha("  health_check:\n    intervall: 100\n"),
            "nutcracker.yml:4: alpha.health_check.intervall: unknown key 'intervall'; did you mean 'interval'? "
                + "expected one of interval, timeout, healthy_threshold, unhealthy_threshold"
        ),
        Case(
            "health check zero threshold",
            alpha("  health_check:\n    unhealthy_threshold: 0\n"),
            "nutcracker.yml:4: alpha.health_check.unhealthy_threshold: must be at least 1, found 0"
        ),
        Case(
            "failure rate zero",
            alpha("  circuit_breaker:\n    failure_rate: 0\n"),
            "nutcracker.yml:4: alpha.circuit_breaker.failure_rate: must be more than 0 and at most 100 (percent), "
                + "found 0"
        ),
        Case(
            "failure rate with a percent sign",
            alpha("  circuit_breaker:\n    failure_rate: 50%\n"),
            "nutcracker.yml:4: alpha.circuit_breaker.failure_rate: expected a percentage, found '50%'"
        ),
        Case(
            "minimum calls larger than the window",
            alpha("  circuit_breaker:\n    window: 10\n"),
            "nutcracker.yml:4: alpha.circuit_breaker.window: minimum_calls (20) is larger than window (10)"
        ),
        Case(
            "max open shorter than open",
            alpha("  circuit_breaker:\n    open_duration: 5000\n    max_open_duration: 1000\n"),
            "nutcracker.yml:5: alpha.circuit_breaker.max_open_duration: max_open_duration (1000) is shorter than "
                + "open_duration (5000)"
        ),
        Case(
            "empty password",
            alpha("  redis_auth: \"\"\n"),
            "nutcracker.yml:3: alpha.redis_auth: the password is empty"
        ),
    ]

    @Test(arguments: Self.cases)
    func rejects(_ example: Case) {
        let error = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(yaml: example.yaml, file: "nutcracker.yml")
        }
        #expect(error?.description == example.message)
    }

    @Test func errorCarriesItsParts() {
        let error = #expect(throws: ConfigurationError.self) {
            try ProxyConfiguration(yaml: NutcrackerExamples.alpha("  hash: fnv9\n"), file: "conf/nutcracker.yml")
        }
        #expect(error?.file == "conf/nutcracker.yml")
        #expect(error?.key == "alpha.hash")
        #expect(error?.line == 3)
        #expect(error?.reason.hasPrefix("unknown hash 'fnv9'; expected one of ") == true)
    }

    @Test func descriptionLeavesOutUnknownParts() {
        #expect(
            ConfigurationError(file: "", key: "--backend", line: nil, reason: "bad").description == "--backend: bad"
        )
        #expect(ConfigurationError(file: "a.yml", key: "", line: nil, reason: "bad").description == "a.yml: bad")
        #expect(ConfigurationError(file: "a.yml", key: "x", line: 4, reason: "bad").description == "a.yml:4: x: bad")
    }
}
