/// Every key a pool mapping may hold: twemproxy's directives and pool-proxy's extensions.
enum PoolKey: String, CaseIterable, Sendable {
    case listen
    case hash
    case hashTag = "hash_tag"
    case distribution
    case timeout
    case backlog
    case preconnect
    case redis
    case redisAuth = "redis_auth"
    case redisDatabase = "redis_db"
    case serverConnections = "server_connections"
    case autoEjectHosts = "auto_eject_hosts"
    case serverRetryTimeout = "server_retry_timeout"
    case serverFailureLimit = "server_failure_limit"
    case clientConnections = "client_connections"
    case tcpKeepAlive = "tcpkeepalive"
    case servers

    case healthCheck = "health_check"
    case circuitBreaker = "circuit_breaker"
    case dedicatedConnections = "dedicated_connections"
    case clientMaxPending = "client_max_pending"
    case clientMaxOutputBytes = "client_max_output_bytes"
    case clientIdleTimeout = "client_idle_timeout"
    case clientParkAfter = "client_park_after"
    case clientMaxBulkLength = "client_max_bulk_length"
    case connectTimeout = "connect_timeout"
    case clientAuth = "client_auth"
    case backendAuth = "backend_auth"
    case tls
    case backendTLS = "backend_tls"
    case cluster
    case clusterRefreshInterval = "cluster_refresh_interval"
    case maxRedirects = "max_redirects"
    case readFrom = "read_from"

    /// The key whose name is closest to a misspelt one, if any is close enough to be a likely typo.
    static func suggestion(for name: String, among candidates: [String] = Self.allCases.map(\.rawValue)) -> String? {
        let scored = candidates.map { (candidate: $0, distance: editDistance($0, name)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }),
            best.distance <= max(1, min(3, best.candidate.count / 3))
        else { return nil }
        return best.candidate
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().utf8)
        let b = Array(b.lowercased().utf8)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
