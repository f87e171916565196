import RedisTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.blockingAllowed) struct RedisServerTests {
    @Test func serverAnswersPing() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let reply = try server.cli(["PING"])
        #expect(reply == "PONG\n")
    }

    @Test func aPortIsHandedOutOnlyOnce() throws {
        let ports = try (0..<64).map { _ in try RedisServer.freeLoopbackPort() }
        #expect(Set(ports).count == ports.count)
        #expect(!RedisServer.claim(port: ports[0]))
    }

    /// What the readiness checks rely on to tell their own server from another listener on the same port.
    @Test func theOwnerOfAListenerIsTheProcessHoldingIt() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        #expect(!RedisServer.owns(pid: getpid(), listenerOn: server.port))

        let port = try RedisServer.freeLoopbackPort()
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0)
        #expect(!RedisServer.owns(pid: getpid(), listenerOn: port))
        try #require(listen(listener, 1) == 0)
        #expect(RedisServer.owns(pid: getpid(), listenerOn: port))
    }
}
