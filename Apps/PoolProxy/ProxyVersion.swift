/// The version pool-proxy reports in `/stats` and `--version`.
enum ProxyVersion {
    static let current = "0.1.0"
}
