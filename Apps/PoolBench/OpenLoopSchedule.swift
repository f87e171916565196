/// When each request of one connection is *meant* to leave in open-loop mode: request `i` at
/// `start + phase + i × interval`, whatever happened to the requests before it.
///
/// Latency is measured from these intended times, so a stall delays every request scheduled during it and all of
/// them show the wait, as wrk2 does. A closed-loop client would instead send nothing during the stall and record one
/// slow request (coordinated omission).
///
/// ```swift
/// let schedule = OpenLoopSchedule(totalRate: 1_000, connections: 4, connection: 1, start: 0)
/// schedule.interval              // 4 ms per connection
/// schedule.intendedTime(of: 0)   // 1 ms: connections are staggered by interval / connections
/// ```
struct OpenLoopSchedule: Hashable, Sendable {
    /// Nanoseconds on the uptime clock.
    let start: UInt64
    let intervalNanoseconds: Double
    let phaseNanoseconds: Double

    init(totalRate: Double, connections: Int, connection: Int, start: UInt64) {
        precondition(totalRate > 0 && connections > 0)
        self.start = start
        self.intervalNanoseconds = 1e9 * Double(connections) / totalRate
        self.phaseNanoseconds = self.intervalNanoseconds * Double(connection) / Double(connections)
    }

    var interval: Duration { .nanoseconds(Int64(self.intervalNanoseconds.rounded())) }

    func intendedTime(of index: Int64) -> UInt64 {
        self.start + UInt64((self.phaseNanoseconds + Double(index) * self.intervalNanoseconds).rounded())
    }

    /// The first index whose intended time is at or after `time`.
    func firstIndex(atOrAfter time: UInt64) -> Int64 {
        guard time > self.start else { return 0 }
        let offset = Double(time - self.start) - self.phaseNanoseconds
        guard offset > 0 else { return 0 }
        var index = Int64((offset / self.intervalNanoseconds).rounded(.down))
        while index > 0 && self.intendedTime(of: index - 1) >= time { index -= 1 }
        while self.intendedTime(of: index) < time { index += 1 }
        return index
    }

    /// How many requests are intended in `[from, to)`.
    func count(from: UInt64, to: UInt64) -> Int64 {
        guard to > from else { return 0 }
        return self.firstIndex(atOrAfter: to) - self.firstIndex(atOrAfter: from)
    }

    /// Latency the way wrk2 reports it: from the intended send time, not the actual one.
    static func correctedLatency(intended: UInt64, replied: UInt64) -> UInt64 {
        replied > intended ? replied - intended : 0
    }
}
