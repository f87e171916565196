#if os(Linux)
import CSocketIOLinux
import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A listener's own accept loop, and the place where its idle clients wait without a channel.
///
/// A NIO channel costs about 2 KB however idle its client is. A parked client is only its socket, watched by
/// this lot's epoll, and the few bytes of state its handler left (see ``ParkingTicket``). When the client sends
/// anything, or hangs up, the socket goes back to an event loop in a new channel, with that state.
///
/// The lot accepts clients itself because NIO does not expose a channel's socket: to park a client, the listener
/// has to know its descriptor from the start.
final class ParkingLot: Sendable {
    /// What happens to a descriptor: a new client (`restored == nil`), or a parked one coming back.
    typealias Adopt = @Sendable (_ lot: ParkingLot, _ descriptor: CInt, _ restored: (any Sendable)?) -> Void

    private struct Entry {
        var state: any Sendable
        /// Uptime in nanoseconds after which the client is closed unseen; `UInt64.max` for never.
        var deadline: UInt64
    }

    private struct State {
        var parked: [CInt: Entry] = [:]
        var isClosing = false
        var needsTrim = false
    }

    private let epoll: CInt
    private let listenDescriptor: CInt
    private let wakeRead: CInt
    private let wakeWrite: CInt
    let registry: ChildChannelRegistry
    private let adopt: Adopt
    private let state = NIOLockedValueBox(State())
    private let thread = NIOThreadPool(numberOfThreads: 1)

    /// Starts watching `listenDescriptor`, which the lot owns from here on.
    init(listenDescriptor: CInt, registry: ChildChannelRegistry, adopt: @escaping Adopt) throws {
        let epoll = csocketio_epoll_create()
        guard epoll >= 0 else { throw Self.error("epoll_create1") }
        var pipeDescriptors: [CInt] = [0, 0]
        guard csocketio_pipe_cloexec(&pipeDescriptors) == 0 else {
            let error = Self.error("pipe2")
            Glibc.close(epoll)
            throw error
        }
        _ = fcntl(listenDescriptor, F_SETFL, fcntl(listenDescriptor, F_GETFL) | O_NONBLOCK)
        self.epoll = epoll
        self.wakeRead = pipeDescriptors[0]
        self.wakeWrite = pipeDescriptors[1]
        self.listenDescriptor = listenDescriptor
        self.registry = registry
        self.adopt = adopt
        guard csocketio_epoll_watch(epoll, self.wakeRead, 1, 0) == 0,
            csocketio_epoll_watch(epoll, listenDescriptor, 1, 0) == 0
        else {
            let error = Self.error("epoll_ctl")
            for descriptor in [epoll, self.wakeRead, self.wakeWrite] { Glibc.close(descriptor) }
            throw error
        }
        self.thread.start()
        self.thread.submit { _ in self.run() }
    }

    /// Parks `descriptor` (the lot owns it from here on) until its client sends something or hangs up, or until
    /// `deadline`, when it is closed. False when the lot is closing: the caller still owns the descriptor.
    func park(_ descriptor: CInt, state: any Sendable, deadline: NIODeadline?) -> Bool {
        let admitted = self.state.withLockedValue { lot -> Bool in
            guard !lot.isClosing else { return false }
            lot.parked[descriptor] = Entry(state: state, deadline: deadline?.uptimeNanoseconds ?? .max)
            lot.needsTrim = true
            return true
        }
        guard admitted else { return false }
        if csocketio_epoll_watch(self.epoll, descriptor, 1, 1) != 0 {
            // Cannot watch it (out of kernel memory): hand it straight back rather than lose the client.
            guard let entry = self.state.withLockedValue({ $0.parked.removeValue(forKey: descriptor) }) else {
                return true
            }
            self.adopt(self, descriptor, entry.state)
        }
        return true
    }

    /// Stops accepting and lets go of every parked client; returns once the lot's thread has stopped.
    ///
    /// Clients still in the backlog, and parked clients that have sent something, connected or wrote before the
    /// listener closed: they go to the event loops to be served. The other parked clients are idle, and closed.
    func close() async {
        let alreadyClosing = self.state.withLockedValue { lot -> Bool in
            defer { lot.isClosing = true }
            return lot.isClosing
        }
        guard !alreadyClosing else { return }
        var byte: UInt8 = 1
        _ = write(self.wakeWrite, &byte, 1)
        try? await self.thread.shutdownGracefully()
        // Linux's largest backlog by default: enough for what waited, without chasing a flood of newcomers.
        self.acceptClients(limit: 4096)
        Glibc.close(self.listenDescriptor)
        let parked = self.state.withLockedValue { lot in
            defer { lot.parked.removeAll() }
            return lot.parked
        }
        var closed = 0
        for (descriptor, entry) in parked {
            if Self.hasInput(descriptor) {
                _ = csocketio_epoll_forget(self.epoll, descriptor)
                self.adopt(self, descriptor, entry.state)
            } else {
                Glibc.close(descriptor)
                closed += 1
            }
        }
        self.registry.forgetParked(closed)
        for descriptor in [self.epoll, self.wakeRead, self.wakeWrite] { Glibc.close(descriptor) }
    }

    /// Whether the client has sent bytes not read yet (a hang-up alone is not input).
    private static func hasInput(_ descriptor: CInt) -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, CInt(MSG_PEEK | MSG_DONTWAIT)) > 0
    }

    // MARK: - The lot's thread

    private func run() {
        var ready = [CInt](repeating: 0, count: 64)
        var lastSweep: UInt64 = 0
        var lastTrim: UInt64 = 0
        while true {
            let count = ready.withUnsafeMutableBufferPointer {
                csocketio_epoll_wait(self.epoll, $0.baseAddress, CInt($0.count), 250)
            }
            if self.state.withLockedValue({ $0.isClosing }) { return }
            for index in 0..<max(0, Int(count)) {
                let descriptor = ready[index]
                if descriptor == self.wakeRead {
                    var drain = [UInt8](repeating: 0, count: 64)
                    _ = read(self.wakeRead, &drain, drain.count)
                } else if descriptor == self.listenDescriptor {
                    self.acceptClients(limit: 256)
                } else {
                    self.unpark(descriptor)
                }
            }
            let now = NIODeadline.now().uptimeNanoseconds
            if now &- lastSweep >= 250_000_000 {
                lastSweep = now
                self.closeExpired(now: now)
            }
            // Parked clients free their channels on the event loops; without a trim most of that memory would stay
            // in the process, in free chunks between live ones. Trimming walks the heap, so at most once a second.
            if now &- lastTrim >= 1_000_000_000, self.state.withLockedValue({ $0.needsTrim }) {
                lastTrim = now
                self.state.withLockedValue { $0.needsTrim = false }
                _ = csocketio_malloc_trim()
            }
        }
    }

    /// Accepts up to `limit` clients, stopping early when none is waiting.
    private func acceptClients(limit: Int) {
        var accepted = 0
        while accepted < limit {
            accepted += 1
            let descriptor = csocketio_accept_cloexec(self.listenDescriptor)
            if descriptor >= 0 {
                self.adopt(self, descriptor, nil)
                continue
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                // Out of descriptors or memory: the pending client waits in the backlog; retrying at once would
                // spin this thread.
                usleep(10_000)
                return
            default:
                return
            }
        }
    }

    private func unpark(_ descriptor: CInt) {
        guard let entry = self.state.withLockedValue({ $0.parked.removeValue(forKey: descriptor) }) else { return }
        // The one-shot registration stays in the epoll set, disarmed, for as long as the socket is open: the
        // event loop that takes the client over must be the only one watching it.
        _ = csocketio_epoll_forget(self.epoll, descriptor)
        self.adopt(self, descriptor, entry.state)
    }

    private func closeExpired(now: UInt64) {
        let expired = self.state.withLockedValue { lot -> [CInt] in
            let expired = lot.parked.compactMap { $0.value.deadline <= now ? $0.key : nil }
            for descriptor in expired { lot.parked.removeValue(forKey: descriptor) }
            return expired
        }
        guard !expired.isEmpty else { return }
        for descriptor in expired { Glibc.close(descriptor) }
        self.registry.forgetParked(expired.count)
    }

    private static func error(_ call: String) -> SocketIOError {
        SocketIOError(.ioError, "\(call) failed: \(String(cString: strerror(errno)))")
    }
}
#endif
