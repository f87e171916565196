import CacheClient
import Synchronization
import Testing

@Suite struct SingleFlightTests {
    @Test func theFirstCallerLeadsAndTheOthersJoin() {
        var table = SingleFlightTable<String, Int>()
        let first = table.join("k") { _ in 7 }
        let second = table.join("k") { _ in 8 }
        let other = table.join("j") { _ in 9 }
        #expect(first.isLeader && first.flight == 7)
        #expect(!second.isLeader && second.flight == 7 && second.id == first.id)
        #expect(other.isLeader && other.flight == 9)
        #expect(table.callers(of: "k") == 2)
        #expect(table.count == 2)
    }

    @Test func aFinishedFlightMakesRoomForANewOne() {
        var table = SingleFlightTable<String, Int>()
        let first = table.join("k") { _ in 1 }
        table.finish("k", id: first.id)
        let second = table.join("k") { _ in 2 }
        #expect(second.isLeader && second.flight == 2)
        table.finish("k", id: first.id)  // a stale finish leaves the new flight alone
        #expect(table.callers(of: "k") == 1)
    }

    @Test func aThousandConcurrentCallersComputeOnce() async throws {
        let flights = SingleFlight<String, Int>()
        let computations = ComputationCounter()
        let callers = 1_000
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await flights.run("hot") {
                        computations.increment()
                        // Hold the flight open until every caller has joined it.
                        while flights.callers(of: "hot") < callers { await Task.yield() }
                        return 42
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == callers && results.allSatisfy { $0 == 42 })
        #expect(computations.value == 1)
        #expect(flights.sharedResults == callers - 1)
    }

    @Test func everyCallerSharesTheError() async {
        struct Boom: Error {}
        let flights = SingleFlight<String, Int>()
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        _ = try await flights.run("k") {
                            while flights.callers(of: "k") < 50 { await Task.yield() }
                            throw Boom()
                        }
                        return false
                    } catch {
                        return error is Boom
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 50)
    }
}
