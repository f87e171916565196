/// One admin connection's progress through its requests.
///
/// NIOHTTP1's pipelining handler hands requests over one at a time, so there is at most one in flight.
struct AdminConnectionStateMachine {
    private enum State {
        case idle
        case receiving(keepAlive: Bool)
        case responding(keepAlive: Bool)
        case closed
    }

    enum ResponseAction: Equatable {
        case write(keepAlive: Bool)
        case drop
    }

    enum IdleAction: Equatable {
        case close
        case ignore
    }

    private var state = State.idle

    /// A request begins; `keepAlive` is what its version and `Connection` header ask for.
    mutating func receivedHead(keepAlive: Bool) {
        guard case .idle = self.state else { return }
        self.state = .receiving(keepAlive: keepAlive)
    }

    /// The request is complete: returns whether to answer it.
    mutating func receivedEnd() -> Bool {
        guard case .receiving(let keepAlive) = self.state else { return false }
        self.state = .responding(keepAlive: keepAlive)
        return true
    }

    /// The response is ready. It is dropped if the connection went away meanwhile.
    mutating func responseReady(serverClosing: Bool) -> ResponseAction {
        guard case .responding(let clientKeepAlive) = self.state else { return .drop }
        let keepAlive = clientKeepAlive && !serverClosing
        self.state = keepAlive ? .idle : .closed
        return .write(keepAlive: keepAlive)
    }

    /// The client has been silent too long. A response still being built is let through: its handler is
    /// ours, not the client's, to bound.
    mutating func idleTimeout() -> IdleAction {
        if case .responding = self.state { return .ignore }
        self.state = .closed
        return .close
    }

    mutating func channelInactive() {
        self.state = .closed
    }
}
