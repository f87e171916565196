import RedisTestSupport
import Testing

@Suite(.blockingAllowed) struct RedisServerTests {
    @Test func serverAnswersPing() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let reply = try server.cli(["PING"])
        #expect(reply == "PONG\n")
    }
}
