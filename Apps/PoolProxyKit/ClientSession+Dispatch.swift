import NIOCore
import RESPCodec

extension ClientSession {
    /// Sends one request on its way. Returns false when it must wait for earlier replies (a barrier), in which
    /// case it is deferred and dispatched again later, in order.
    func dispatch(_ request: RESPToken) -> Bool {
        let command: RESPCommandSpec?
        if self.loopPool.isSharded {
            guard self.readArguments(request) else { return true }
            command = RESPCommandTable.lookup(arguments: self.arguments)
        } else {
            // A one-server pool routes by name alone: read the name, and the rest only for a subcommand.
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
        self.loopPool.tally.requestsByClass[CommandClass(command).rawValue] &+= 1
        if let command, command.name == "quit" {
            return self.quit()
        }
        if case .pinned(let pin) = self.mode {
            return self.dispatchPinned(request, command: command, pin: pin)
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
    }

    /// Sends a request to a server's multiplexed connections; the reply fills the next slot.
    func forward(_ request: ByteBuffer, to server: Int) {
        let sequence = self.reserveSlot()
        if let failure = self.loopPool.servers[server].send(
            request,
            to: .client(self, sequence: sequence),
            now: self.now
        ) {
            self.loopPool.tally.forwardErrors &+= 1
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
