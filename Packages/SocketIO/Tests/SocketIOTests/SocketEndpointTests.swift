import Testing

@testable import SocketIO

@Suite struct SocketEndpointTests {
    @Test func describesEachKind() {
        #expect(SocketEndpoint.tcp(host: "10.0.0.1", port: 6379).description == "10.0.0.1:6379")
        #expect(SocketEndpoint.tcp(host: "::1", port: 6379).description == "[::1]:6379")
        #expect(SocketEndpoint.tcp(host: "cache.internal", port: 6380).description == "cache.internal:6380")
        #expect(SocketEndpoint.unixSocket(path: "/run/redis.sock").description == "unix:/run/redis.sock")
    }

    @Test func onlyDNSNamesGoIntoSNI() {
        #expect(SocketEndpoint.tcp(host: "cache.internal", port: 1).serverNameIndicationHost == "cache.internal")
        #expect(SocketEndpoint.tcp(host: "127.0.0.1", port: 1).serverNameIndicationHost == nil)
        #expect(SocketEndpoint.tcp(host: "fe80::1", port: 1).serverNameIndicationHost == nil)
        #expect(SocketEndpoint.unixSocket(path: "/tmp/x").serverNameIndicationHost == nil)
    }
}
