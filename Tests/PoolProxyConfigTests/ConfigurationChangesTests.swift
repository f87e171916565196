import LoadBalancer
import PoolProxyConfig
import Testing

@Suite("SIGHUP reload diff")
struct ConfigurationChangesTests {
    static let old = """
        alpha:
          listen: 127.0.0.1:22121
          redis: true
          servers:
           - 127.0.0.1:6379:1
        beta:
          listen: 127.0.0.1:22122
          redis: true
          timeout: 400
          servers:
           - 127.0.0.1:6380:1 server1
           - 127.0.0.1:6381:1 server2
        gamma:
          listen: 127.0.0.1:22123
          redis: true
          servers:
           - 127.0.0.1:6382:1
        delta:
          listen: /tmp/delta.sock 0600
          redis: true
          servers:
           - 127.0.0.1:6383:1
        """

    static let new = """
        epsilon:
          listen: 127.0.0.1:22125
          redis: true
          servers:
           - 127.0.0.1:6385:1
        beta:
          listen: 127.0.0.1:22122
          redis: true
          timeout: 500
          health_check: false
          servers:
           - 127.0.0.1:6380:1 server1
           - 127.0.0.1:6381:1 server2
           - 127.0.0.1:6384:1 server3
        alpha:
          listen: 127.0.0.1:22121
          redis: true
          servers:
           - 127.0.0.1:6379:1
        gamma:
          listen: 127.0.0.1:22124
          redis: true
          servers:
           - 127.0.0.1:6382:1
        """

    @Test func poolsAreMatchedByName() throws {
        let old = try ProxyConfiguration(yaml: Self.old, file: "old.yml")
        let new = try ProxyConfiguration(yaml: Self.new, file: "new.yml")
        let changes = new.changes(from: old)
        #expect(changes.added.map(\.name) == ["epsilon"])
        #expect(changes.removed.map(\.name) == ["delta"])
        #expect(changes.unchanged.map(\.name) == ["alpha"])
        #expect(changes.changed.map(\.name) == ["beta", "gamma"])
        #expect(!changes.isEmpty)

        let beta = changes.changed[0]
        #expect(beta.changedKeys == ["timeout", "servers", "health_check"])
        #expect(!beta.listenChanged)
        #expect(beta.routingChanged)
        #expect(beta.old.timeout == .milliseconds(400))
        #expect(beta.new.timeout == .milliseconds(500))

        let gamma = changes.changed[1]
        #expect(gamma.changedKeys == ["listen"])
        #expect(gamma.listenChanged)
        #expect(!gamma.routingChanged)
    }

    @Test func sameFileChangesNothing() throws {
        let configuration = try ProxyConfiguration(yaml: NutcrackerExamples.full, file: "nutcracker.yml")
        let changes = configuration.changes(from: configuration)
        #expect(changes.isEmpty)
        #expect(changes.unchanged == configuration.pools)
        #expect(changes == ConfigurationChanges(unchanged: configuration.pools))
    }

    @Test func socketPermissionsAloneMoveTheListener() throws {
        var old = ServerPoolConfiguration(name: "p", listen: .unix(path: "/tmp/p.sock", permissions: 0o600))
        old.servers = [TwemproxyServer(host: "127.0.0.1", port: 6379)]
        var new = old
        new.listen = .unix(path: "/tmp/p.sock", permissions: 0o666)
        let changes = ProxyConfiguration(pools: [new]).changes(from: ProxyConfiguration(pools: [old]))
        #expect(changes.changed.map(\.changedKeys) == [["listen"]])
        #expect(changes.changed.first?.listenChanged == true)
    }

    @Test func everyFieldIsNamed() throws {
        let base = ServerPoolConfiguration(name: "p", listen: .tcp(host: "127.0.0.1", port: 1))
        var edited = base
        edited.hashTag = TwemproxyHashTag("{}")
        edited.redisAuth = "x"
        edited.clientMaxBulkLength = 1
        edited.connectTimeout = .milliseconds(5)
        edited.circuitBreaker = nil
        #expect(
            ServerPoolChange(old: base, new: edited).changedKeys
                == ["hash_tag", "redis_auth", "circuit_breaker", "client_max_bulk_length", "connect_timeout"]
        )
    }
}
