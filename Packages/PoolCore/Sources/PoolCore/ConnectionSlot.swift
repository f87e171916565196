/// The pool's bookkeeping for one connection; the connection itself sits in a parallel array.
@usableFromInline struct ConnectionSlot: Sendable {
    @usableFromInline enum Phase: Sendable {
        case empty
        case active
        case keepAlive
    }

    @usableFromInline var generation: UInt32 = 0
    @usableFromInline var phase: Phase = .empty
    @usableFromInline var isAvailable = false
    @usableFromInline var isRetiring = false
    @usableFromInline var isFresh = false
    @usableFromInline var expiresAt: Duration? = nil
    @usableFromInline var idleSince: Duration = .zero
    @usableFromInline var lastActivity: Duration = .zero
    @usableFromInline var leaseCount = 0
    @usableFromInline var leaseStarts: [Duration?] = []
    @usableFromInline var leakReported: [Bool] = []
    @usableFromInline var freeStreams: [Int] = []

    @inlinable init() {}

    @inlinable var hasSpareStream: Bool { !self.freeStreams.isEmpty }

    @inlinable mutating func activate(at now: Duration, expiresAt: Duration?, streams: Int) {
        self.phase = .active
        self.isAvailable = false
        self.isRetiring = false
        self.isFresh = true
        self.expiresAt = expiresAt
        self.idleSince = now
        self.lastActivity = now
        self.leaseCount = 0
        self.leaseStarts = Array(repeating: nil, count: streams)
        self.leakReported = Array(repeating: false, count: streams)
        self.freeStreams = Array((0..<streams).reversed())
    }
}
