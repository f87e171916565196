/// The state of single-flight: at most one flight per key, which every caller for that key joins.
///
/// Pure bookkeeping, generic over what a flight is (the shell stores a `Task`): the first caller for a key
/// starts a flight, callers arriving while it runs join it, and the flight's owner removes it when done, so
/// the next caller starts afresh.
///
/// ```swift
/// var table = SingleFlightTable<String, Int>()
/// table.join("k") { id in 7 }       // (flight: 7, id: 0, isLeader: true)
/// table.join("k") { id in 8 }       // (flight: 7, id: 0, isLeader: false)
/// table.finish("k", id: 0)
/// ```
public struct SingleFlightTable<Key: Hashable & Sendable, Flight: Sendable>: Sendable {
    struct Entry: Sendable {
        var id: UInt64
        var flight: Flight
        var callers: Int
    }

    private var entries: [Key: Entry] = [:]
    private var nextID: UInt64 = 0

    /// Creates an empty table.
    public init() {}

    /// Joins the flight for `key`, or starts one with `start` (given the new flight's id) when none runs.
    public mutating func join(
        _ key: Key,
        start: (UInt64) -> Flight
    ) -> (flight: Flight, id: UInt64, isLeader: Bool) {
        if var entry = self.entries[key] {
            entry.callers += 1
            self.entries[key] = entry
            return (entry.flight, entry.id, false)
        }
        let id = self.nextID
        self.nextID += 1
        let flight = start(id)
        self.entries[key] = Entry(id: id, flight: flight, callers: 1)
        return (flight, id, true)
    }

    /// Ends flight `id` for `key`; a later flight for the same key is left alone.
    public mutating func finish(_ key: Key, id: UInt64) {
        if self.entries[key]?.id == id {
            self.entries[key] = nil
        }
    }

    /// Callers that joined the running flight for `key` (the leader included), or 0.
    public func callers(of key: Key) -> Int {
        self.entries[key]?.callers ?? 0
    }

    /// Flights running now.
    public var count: Int { self.entries.count }
}
