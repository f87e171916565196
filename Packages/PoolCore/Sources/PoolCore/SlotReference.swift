/// Names one connection of the pool across asynchronous work, such as a keep-alive round trip.
@usableFromInline struct SlotReference: Hashable, Sendable {
    @usableFromInline let index: Int
    @usableFromInline let generation: UInt32

    @inlinable init(index: Int, generation: UInt32) {
        self.index = index
        self.generation = generation
    }
}
