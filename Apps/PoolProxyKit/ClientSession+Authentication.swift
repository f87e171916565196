import NIOCore
import PoolProxyConfig
import RESPCodec

/// Client authentication, when the pool has `client_auth` users or twemproxy's `redis_auth`.
///
/// The proxy answers AUTH itself and never forwards it: backend connections are shared and authenticate with the
/// pool's own credentials. Until a client authenticates it may send only AUTH, HELLO (with AUTH), PING and QUIT,
/// with Redis's limits for unauthenticated clients on request size; everything else gets Redis's `-NOAUTH`.
extension ClientSession {
    var requiresAuthentication: Bool { !self.loopPool.runtime.clientUsers.isEmpty }

    /// Redis's bounds for a client that has not authenticated: 10 arguments of at most 16 KB each, so a stranger
    /// cannot make the proxy buffer a large request.
    static let unauthenticatedParserLimits: RESPParser.Limits = {
        var limits = RESPParser.Limits()
        limits.maximumBulkLength = 16 * 1024
        limits.maximumAggregateCount = 10
        limits.maximumInlineLength = 16 * 1024
        return limits
    }()

    /// Handles what authentication decides; nil sends the request on its usual way.
    func dispatchAuthentication(_ request: RESPToken, command: RESPCommandSpec?) -> Bool? {
        switch command?.name {
        case "auth":
            return self.authenticate(request)
        case "hello":
            return self.helloWithAuthentication(request)
        case "ping" where !self.isAuthenticated:
            guard self.readArguments(request), self.arguments.count <= 2 else {
                self.replyLocally(ProxyReply.wrongArity("ping"))
                return true
            }
            self.replyLocally(self.arguments.count == 2 ? ProxyReply.bulkString(self.arguments[1]) : ProxyReply.pong)
            return true
        default:
            guard !self.isAuthenticated else { return nil }
            self.replyLocally(ProxyReply.noAuthentication)
            return true
        }
    }

    /// `AUTH password` (the `default` user) or `AUTH username password`.
    private func authenticate(_ request: RESPToken) -> Bool {
        guard self.readArguments(request), self.arguments.count == 2 || self.arguments.count == 3 else {
            self.replyLocally(ProxyReply.wrongArity("auth"))
            return true
        }
        let user = self.arguments.count == 3 ? String(buffer: self.arguments[1]) : "default"
        if self.checkCredentials(user: user, password: self.arguments[self.arguments.count - 1]) {
            self.replyLocally(ProxyReply.ok)
        }
        return true
    }

    /// `HELLO protover [AUTH username password] [SETNAME name]`: checks the credentials, then sends the HELLO on
    /// without them. Returns nil for an authenticated client's HELLO without AUTH.
    private func helloWithAuthentication(_ request: RESPToken) -> Bool? {
        guard self.readArguments(request) else { return nil }
        guard
            let authIndex = self.arguments.indices.dropFirst(2).first(where: { index in
                self.arguments[index].readableBytesView.elementsEqual("auth".utf8) { $0 | 0x20 == $1 }
            })
        else {
            guard self.isAuthenticated else {
                self.replyLocally(ProxyReply.noAuthenticationForHello)
                return true
            }
            return nil
        }
        guard authIndex + 2 < self.arguments.count else {
            self.replyLocally(ProxyReply.error("ERR Syntax error in HELLO option 'auth'"))
            return true
        }
        let user = String(buffer: self.arguments[authIndex + 1])
        guard self.checkCredentials(user: user, password: self.arguments[authIndex + 2]) else { return true }
        var remaining = self.arguments
        remaining.removeSubrange(authIndex...(authIndex + 2))
        var bytes = ByteBuffer()
        bytes.writeRESPCommand(remaining)
        guard let plain = try? RESPToken(validating: bytes) else { return true }
        return self.dispatch(plain, command: RESPCommandTable.lookup("hello"))
    }

    /// Compares against the configured digest; on success the client is in and gets the pool's normal limits. On
    /// failure the attempt is counted and logged without the password, and answered with Redis's `-WRONGPASS`,
    /// after `client_auth.failure_delay` when one is set.
    private func checkCredentials(user: String, password: ByteBuffer) -> Bool {
        let runtime = self.loopPool.runtime
        if let digest = runtime.clientUsers[user], digest.matches(password.readableBytesView) {
            if !self.isAuthenticated {
                self.isAuthenticated = true
                // The parser sits between frames here, so swapping it keeps any pipelined bytes intact.
                self.parser = RESPParser(mode: .request, limits: Self.parserLimits(runtime.configuration))
            }
            return true
        }
        self.authenticationFailures &+= 1
        self.loopPool.tally.counts.authFailures &+= 1
        runtime.logAuthenticationFailure(
            user: user,
            remote: self.context?.channel.remoteAddress,
            attempt: Int(self.authenticationFailures)
        )
        let delay = runtime.configuration.clientAuth?.failureDelay ?? .zero
        guard delay > .zero, let context = self.context else {
            self.replyLocally(ProxyReply.wrongPassword)
            return false
        }
        let sequence = self.reserveSlot()
        self.isDelayingAuthenticationFailure = true
        let session = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
            let session = session.value
            session.isDelayingAuthenticationFailure = false
            session.receive(ProxyReply.wrongPassword, sequence: sequence)
            session.resumeDeferred()
        }
        return false
    }
}
