/// Commands a ``RESPConnection`` sends before it is handed out: authentication, protocol, database and name.
///
/// They go out as one pipelined batch. Any error reply fails the connect with
/// ``SocketIOError/Code/handshakeRejected``.
///
/// ```swift
/// let handshake = RESPHandshake(password: "secret", protocolVersion: 3, database: 2, clientName: "pool-proxy")
/// // HELLO 3 AUTH default secret, SELECT 2, CLIENT SETNAME pool-proxy
/// ```
public struct RESPHandshake: Hashable, Sendable {
    /// The ACL user; `nil` authenticates as `default` (or with the legacy one-argument `AUTH`).
    public var username: String?
    /// Sent with `AUTH` (or inside `HELLO 3`) when set.
    public var password: String?
    /// `3` sends `HELLO 3` to switch to RESP3; `2` keeps the default protocol and sends nothing for it.
    public var protocolVersion: Int
    /// Sent with `SELECT` unless it is 0.
    public var database: Int
    /// Sent with `CLIENT SETNAME` when set.
    public var clientName: String?

    /// Creates a handshake; the defaults send nothing at all.
    public init(
        username: String? = nil,
        password: String? = nil,
        protocolVersion: Int = 2,
        database: Int = 0,
        clientName: String? = nil
    ) {
        self.username = username
        self.password = password
        self.protocolVersion = protocolVersion
        self.database = database
        self.clientName = clientName
    }

    /// The commands to send, in order.
    public var commands: [[String]] {
        var commands: [[String]] = []
        if self.protocolVersion >= 3 {
            var hello = ["HELLO", String(self.protocolVersion)]
            if let password = self.password {
                hello += ["AUTH", self.username ?? "default", password]
            }
            commands.append(hello)
        } else if let password = self.password {
            commands.append(["AUTH"] + (self.username.map { [$0] } ?? []) + [password])
        }
        if self.database != 0 {
            commands.append(["SELECT", String(self.database)])
        }
        if let clientName = self.clientName {
            commands.append(["CLIENT", "SETNAME", clientName])
        }
        return commands
    }
}
