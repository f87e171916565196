import Testing

@testable import PoolBench

@Suite struct OpenLoopScheduleTests {
    @Test func intervalsAndStaggeredPhases() {
        let schedules = (0..<4).map {
            OpenLoopSchedule(totalRate: 1_000, connections: 4, connection: $0, start: 1_000_000_000)
        }
        #expect(schedules[0].interval == .milliseconds(4))
        #expect(
            schedules.map { $0.intendedTime(of: 0) } == [1_000_000_000, 1_001_000_000, 1_002_000_000, 1_003_000_000]
        )
        #expect(schedules[2].intendedTime(of: 10) == 1_042_000_000)
        // All connections together: one request per millisecond.
        let merged = schedules.flatMap { schedule in (0..<250).map { schedule.intendedTime(of: $0) } }.sorted()
        #expect(zip(merged, merged.dropFirst()).allSatisfy { $1 - $0 == 1_000_000 })
    }

    @Test func firstIndexAndCounts() {
        let schedule = OpenLoopSchedule(totalRate: 300, connections: 1, connection: 0, start: 0)
        // 3,333,333.33 ns apart; rounding must not lose or double a request.
        #expect(schedule.firstIndex(atOrAfter: 0) == 0)
        #expect(schedule.firstIndex(atOrAfter: 1) == 1)
        #expect(schedule.firstIndex(atOrAfter: schedule.intendedTime(of: 7)) == 7)
        #expect(schedule.firstIndex(atOrAfter: schedule.intendedTime(of: 7) + 1) == 8)
        #expect(schedule.count(from: 0, to: 1_000_000_000) == 300)
        #expect(schedule.count(from: 500_000_000, to: 1_500_000_000) == 300)
    }

    @Test func correctedLatencyCountsFromTheIntendedTime() {
        #expect(OpenLoopSchedule.correctedLatency(intended: 100, replied: 350) == 250)
        #expect(OpenLoopSchedule.correctedLatency(intended: 400, replied: 350) == 0)
    }
}

/// The classic coordinated-omission example: a server answers in 100 µs, except for one 1-second stall, under a
/// 1,000 req/s schedule on one connection that can only send when the previous reply is back.
@Suite struct CoordinatedOmissionTests {
    private func simulate() -> BenchResult {
        let recorder = BenchRecorder(commandNames: ["GET"], openLoop: true)
        let schedule = OpenLoopSchedule(totalRate: 1_000, connections: 1, connection: 0, start: 0)
        let service: UInt64 = 100_000
        let stallAt: UInt64 = 5_000_000_000
        var free: UInt64 = 0
        for index in 0..<Int64(10_000) {
            let intended = schedule.intendedTime(of: index)
            let sent = max(intended, free)
            let replied = sent + (sent == stallAt ? 1_000_000_000 : service)
            free = replied
            recorder.record(command: 0, intended: intended, sent: sent, replied: replied, outcome: .hit)
        }
        return recorder.result(target: "simulated", elapsed: .seconds(10))
    }

    @Test func theStallShowsInTheCorrectedP99Only() throws {
        let result = self.simulate()
        let corrected = result.total.latency
        let uncorrected = try #require(result.total.uncorrected)
        #expect(corrected.count == 10_000)
        #expect(uncorrected.count == 10_000)
        // Uncorrected: one slow sample in 10,000 hides above p99.9.
        #expect(uncorrected.p99 < .milliseconds(1))
        #expect(uncorrected.p999 < .milliseconds(1))
        #expect(uncorrected.max >= .milliseconds(999))
        // Corrected: the ~1,100 requests scheduled during the stall and its catch-up waited up to a second: 11 % of
        // the run.
        #expect(corrected.p99 > .milliseconds(850))
        #expect(corrected.p50 < .milliseconds(1))
        #expect(corrected.max >= .milliseconds(999))
        #expect(result.total.hits == 10_000)
    }

    @Test func closedLoopRecordsOneHistogram() {
        let recorder = BenchRecorder(commandNames: ["SET", "GET"], openLoop: false)
        recorder.record(command: 0, intended: 0, sent: 0, replied: 2_000, outcome: .reply)
        recorder.record(command: 1, intended: 0, sent: 0, replied: 3_000, outcome: .miss)
        recorder.record(command: 1, intended: 0, sent: 0, replied: 3_000, outcome: .error("WRONGTYPE"))
        recorder.recordError(command: 1, type: "connection closed", count: 2)
        let result = recorder.result(target: "t", elapsed: .seconds(1))
        #expect(result.total.uncorrected == nil)
        #expect(result.commands.map(\.name) == ["SET", "GET"])
        #expect(result.commands[1].operations == 2)
        #expect(result.commands[1].misses == 1)
        #expect(result.commands[1].errors == ["WRONGTYPE": 1, "connection closed": 2])
        #expect(result.total.errorCount == 3)
        #expect(result.total.operations == 3)
        #expect(result.operationsPerSecond == 3)
    }
}
