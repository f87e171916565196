extension CircuitBreaker {
    // MARK: - Lock-free permits

    // The word packs the generation above two state bits: closed, disabled, or neither (take the lock). Static
    // stored properties are not allowed in a generic class, hence the computed constants.

    @inlinable static var fastPathStateBits: UInt64 { 2 }
    @inlinable static var fastPathStateMask: UInt64 { 0b11 }
    @inlinable static var fastPathClosed: UInt64 { 0b01 }
    @inlinable static var fastPathDisabled: UInt64 { 0b10 }

    /// Lock-free permits number their sequences from 2^63 up, so they never meet the machine's own, which count
    /// from zero.
    @inlinable static var fastSequenceBase: UInt64 { 1 << 63 }

    /// The lock-free path's word for `machine`: its generation and state while it grants permits without time,
    /// zero otherwise.
    @usableFromInline
    static func fastPathWord(for machine: CircuitBreakerStateMachine) -> UInt64 {
        guard machine.grantsPermitsWithoutTime else { return 0 }
        let state = machine.state == .closed ? Self.fastPathClosed : Self.fastPathDisabled
        return machine.generation << Self.fastPathStateBits | state
    }
}
