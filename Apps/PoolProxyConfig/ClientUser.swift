/// A user clients may authenticate as, with `AUTH name password` or `HELLO 3 AUTH name password`. The user named
/// `default` is also the one plain `AUTH password` checks.
///
/// ```swift
/// let user = ClientUser(name: "app", passwordDigest: PasswordDigest(hashing: Array("s3cret".utf8)))
/// ```
public struct ClientUser: Sendable, Hashable {
    /// The user name, compared exactly (Redis user names are case-sensitive).
    public var name: String
    /// The SHA-256 digest of the user's password.
    public var passwordDigest: PasswordDigest

    /// A user and the digest of their password.
    public init(name: String, passwordDigest: PasswordDigest) {
        self.name = name
        self.passwordDigest = passwordDigest
    }
}
