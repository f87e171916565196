/// `nutcracker.yml` files used by the tests, embedded so the test target needs no resources.
enum NutcrackerExamples {
    /// twemproxy's `conf/nutcracker.yml` shape (alpha ... omega), Redis pools only, plus two pools that use
    /// pool-proxy's extension keys.
    static let full = """
        # Shaped like twemproxy's conf/nutcracker.yml.
        alpha:
          listen: 127.0.0.1:22121
          hash: fnv1a_64
          distribution: ketama
          auto_eject_hosts: true
          redis: true
          server_retry_timeout: 2000
          server_failure_limit: 1
          servers:
           - 127.0.0.1:6379:1

        beta:
          listen: 127.0.0.1:22122
          hash: fnv1a_64
          hash_tag: "{}"
          distribution: ketama
          auto_eject_hosts: false
          timeout: 400
          redis: true
          redis_auth: s3cret
          redis_db: 2
          servers:
           - 127.0.0.1:6380:1 server1
           - 127.0.0.1:6381:1 server2
           - 127.0.0.1:6382:1 server3
           - 127.0.0.1:6383:1 server4

        gamma:
          listen: 127.0.0.1:22123
          hash: murmur
          distribution: modula
          timeout: 400
          backlog: 1024
          preconnect: true
          auto_eject_hosts: true
          server_retry_timeout: 2000
          server_failure_limit: 3
          server_connections: 4
          client_connections: 10000
          tcpkeepalive: true
          redis: true
          servers:
           - 10.0.0.1:6379:2
           - 10.0.0.2:6379:1

        delta:
          listen: "[::1]:22124"
          hash: md5
          distribution: random
          redis: true
          servers:
           - "[::1]:6390:1"
           - "::1:6391:1 named-v6"

        omega:
          listen: /tmp/gamma 0666
          hash: hsieh
          distribution: ketama
          auto_eject_hosts: false
          redis: true
          servers:
           - 127.0.0.1:6384:100000
           - 127.0.0.1:6385:1

        epsilon:
          listen: 0.0.0.0:22125
          redis: true
          health_check:
            interval: 2000
            timeout: 250
            healthy_threshold: 2
            unhealthy_threshold: 3
          circuit_breaker:
            failure_rate: 25.5
            window: 200
            minimum_calls: 50
            open_duration: 500
            max_open_duration: 60000
          dedicated_connections: 16
          client_max_pending: 256
          client_max_output_bytes: 1048576
          client_idle_timeout: 300000
          client_park_after: 1500
          client_max_bulk_length: 1048576
          connect_timeout: 250
          servers:
           - redis-a.internal:6379:1 a
           - redis-b.internal:6379:1 b

        zeta:
          listen: /var/run/pool-proxy.sock
          redis: true
          health_check: false
          circuit_breaker: false
          timeout: 0
          client_idle_timeout: 0
          client_park_after: 0
          server_failure_limit: 0
          servers:
           - 127.0.0.1:6386:1

        """

    /// A one-pool file; `body` is indented under `alpha:` and follows `listen:`.
    static func alpha(_ body: String = "") -> String {
        """
        alpha:
          listen: 127.0.0.1:22121
        \(body)  servers:
           - 127.0.0.1:6379:1

        """
    }
}
