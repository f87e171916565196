/// `backend_auth`: the ACL user and password the proxy sends with `AUTH` on every new server connection, before
/// the connection carries any client request. It replaces `redis_auth`'s role towards the servers.
///
/// ```yaml
/// backend_auth:
///   username: proxy
///   password: { file: /run/secrets/redis-proxy-password }
/// ```
public struct BackendAuthSettings: Sendable, Hashable, CustomStringConvertible {
    /// The ACL user; `nil` sends the one-argument `AUTH password` (the `default` user).
    public var username: String?
    /// The password, resolved from the file, the environment or the text.
    public var password: String

    /// Credentials for the servers.
    public init(username: String? = nil, password: String) {
        self.username = username
        self.password = password
    }

    /// Names the user and hides the password.
    public var description: String {
        "BackendAuthSettings(username: \(self.username ?? "default"), password: <redacted>)"
    }
}
