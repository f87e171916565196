/// `client_auth`: who may use the pool. The proxy checks clients itself; backend credentials are separate
/// (`backend_auth`, or twemproxy's `redis_auth`).
///
/// ```yaml
/// client_auth:
///   users:
///     - name: app
///       password_sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
///   failure_delay: 100   # milliseconds before a failed AUTH is answered
/// ```
public struct ClientAuthSettings: Sendable, Hashable {
    /// The users, in file order. `redis_auth`, when set, adds the `default` user.
    public var users: [ClientUser] = []
    /// How long a failed `AUTH` waits before its `-WRONGPASS` reply, during which the client's later requests
    /// wait too: it slows down password guessing on one connection. Zero answers at once.
    public var failureDelay: Duration = .zero

    /// No users and no delay.
    public init() {}
}
