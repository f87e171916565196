import NIOCore
import RESPCodec

extension ClientSession {
    /// Sends one request on its way. Returns false when it must wait for earlier replies (a barrier), in which
    /// case it is deferred and dispatched again later, in order.
    func dispatch(_ request: RESPToken) -> Bool {
        let command: RESPCommandSpec?
        if self.loopPool.isSharded {
            if let handled = self.dispatchSingleKey(request) { return handled }
            guard self.readArguments(request) else { return true }
            command = RESPCommandTable.lookup(arguments: self.arguments)
        } else if let found = RESPCommandTable.lookup(commandOf: request), found.subcommands.isEmpty {
            // A one-server pool routes by name alone, read in place.
            command = found
        } else {
            // A container's subcommand, an unknown command, or not a request of bulk strings.
            guard case .array(let elements) = request.value, elements.count > 0 else { return true }
            var iterator = elements.makeIterator()
            guard let first = iterator.next(), case .bulkString(let name) = first.value else { return true }
            let container = RESPCommandTable.lookup(name)
            if let container, !container.subcommands.isEmpty, elements.count > 1,
                let second = iterator.next(), case .bulkString(let subcommand) = second.value
            {
                command = container.subcommand(subcommand)
            } else {
                command = container
            }
        }
        self.loopPool.tally.counts.requestsByClass[CommandClass(command).rawValue] &+= 1
        return self.dispatch(request, command: command)
    }

    /// Dispatches a request whose command is already looked up.
    func dispatch(_ request: RESPToken, command: RESPCommandSpec?) -> Bool {
        if let command, command === Self.quitCommand {
            return self.quit()
        }
        if self.requiresAuthentication, let handled = self.dispatchAuthentication(request, command: command) {
            return handled
        }
        if case .pinned(let pin) = self.mode {
            return self.dispatchPinned(request, command: command, pin: pin)
        }
        if let command, command === Self.helloCommand, let handled = self.helloOnSharedConnection(request) {
            return handled
        }
        if self.loopPool.isSharded {
            return self.dispatchSharded(request, command: command)
        }
        if let command, Self.needsDedicatedConnection(command) {
            return self.pin(server: 0)
        }
        self.forward(request.base, to: 0)
        return true
    }

    /// Commands that change or depend on the state of the connection they run on.
    static func needsDedicatedConnection(_ command: RESPCommandSpec) -> Bool {
        !command.traits.isDisjoint(with: [.sessionState, .transaction, .blocking, .subscription, .monitor])
            || command === Self.waitCommand || command === Self.waitAOFCommand
    }

    // The table's specs are unique objects: comparing identities spares every request a string comparison.
    // Optional: a table generated from an older Redis may not know a command.
    private static let quitCommand = RESPCommandTable.lookup("quit")
    private static let helloCommand = RESPCommandTable.lookup("hello")
    /// WAIT and WAITAOF block the connection until replicas acknowledge, but Redis does not flag them `blocking`.
    private static let waitCommand = RESPCommandTable.lookup("wait")
    private static let waitAOFCommand = RESPCommandTable.lookup("waitaof")

    /// A plain `HELLO [2|3]` changes nothing but the protocol, so it needs no connection of its own: it runs on
    /// a multiplexed connection that already speaks the protocol asked for, and the client's later requests use
    /// such connections too. Returns nil for a HELLO with AUTH or SETNAME, which does change connection state.
    private func helloOnSharedConnection(_ request: RESPToken) -> Bool? {
        guard self.readArguments(request), self.arguments.count <= 2 else { return nil }
        if self.arguments.count == 2, let version = Int(String(buffer: self.arguments[1])),
            version == 2 || version == 3, version != self.protocolVersion
        {
            // Earlier requests finish on the old protocol's connections first, so that nothing overtakes them.
            guard self.slots.isEmpty else { return false }
            self.protocolVersion = version
        }
        self.forward(request.base, to: 0)
        return true
    }

    /// Sends a request to a server's multiplexed connections; the reply fills the next slot.
    func forward(_ request: ByteBuffer, to server: Int) {
        let sequence = self.reserveSlot()
        if let failure = self.loopPool.servers[server].send(
            request,
            to: .client(self, sequence: sequence),
            now: self.now,
            protocolVersion: self.protocolVersion
        ) {
            self.loopPool.tally.counts.forwardErrors &+= 1
            self.receive(failure, sequence: sequence)
        }
    }

    /// QUIT: `+OK` once every earlier reply is written, then close, as Redis does.
    private func quit() -> Bool {
        guard self.isIdle || self.isStickyWithNothingOutstanding else { return false }
        self.replyLocally(ProxyReply.ok)
        self.lifecycle = .closingAfterReplies
        self.closeAfterFlush()
        return true
    }

    private var isStickyWithNothingOutstanding: Bool {
        guard self.slots.isEmpty, case .pinned(let pin) = self.mode else { return false }
        return pin.outstanding == 0
    }
}
