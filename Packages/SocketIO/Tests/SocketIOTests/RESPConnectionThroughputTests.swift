import Foundation
import RESPCodec
import Testing

@testable import SocketIO

/// Prints throughput figures for the README; runs only with `SOCKETIO_BENCH=1`, ideally with `-c release`.
/// It checks the replies, never the speed.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SOCKETIO_BENCH"] == "1"), .timeLimit(.minutes(2)))
struct RESPConnectionThroughputTests {
    @Test func pipelinedThroughputAgainstRoundTrips() async throws {
        let server = try await RedisTestServer.start()
        defer { server.stop() }
        let connection = try await RESPConnection.connect(to: server.endpoint)
        let clock = ContinuousClock()
        _ = try await connection.send("SET", "bench", "value")

        let roundTrips = 5_000
        var matchingReplies = 0
        let sequentialStart = clock.now
        for _ in 0..<roundTrips where try await connection.send("GET", "bench") == .bulkString("value") {
            matchingReplies += 1
        }
        let sequential = clock.now - sequentialStart
        #expect(matchingReplies == roundTrips)

        let batchSize = 100_000
        let batch = (0..<batchSize).map { _ in ["GET", "bench"] }
        let batchStart = clock.now
        let batchReplies = try await connection.sendBatch(batch)
        let batched = clock.now - batchStart
        #expect(batchReplies.count == batchSize)

        let concurrentRequests = 50_000
        let concurrentStart = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<64 {
                group.addTask {
                    for _ in stride(from: worker, to: concurrentRequests, by: 64) {
                        _ = try await connection.send("GET", "bench")
                    }
                }
            }
            try await group.waitForAll()
        }
        let concurrent = clock.now - concurrentStart
        #expect(connection.isHealthy)

        func rate(_ count: Int, _ duration: Duration) -> String {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return String(format: "%.0f ops/s", Double(count) / seconds)
        }
        print("SocketIO bench: sequential GET round trips: \(rate(roundTrips, sequential))")
        print("SocketIO bench: one batch of \(batchSize) GETs: \(rate(batchSize, batched))")
        print("SocketIO bench: 64 tasks sharing one connection: \(rate(concurrentRequests, concurrent))")
        await connection.close()
    }
}
