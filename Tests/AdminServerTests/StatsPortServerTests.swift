import AdminServer
import Testing

@Suite("StatsPortServer over real TCP")
struct StatsPortServerTests {
    static let json = #"{"service":"nutcracker", "source":"test", "version":"0.5.0", "uptime":1, "timestamp":2}"#

    @Test func writesTheDocumentAndANewlineThenCloses() async throws {
        let server = try await StatsPortServer.bind(host: "127.0.0.1", port: 0) { Self.json }
        let received = try await TestClient.connect(port: server.port) { client in
            await client.readToEnd()
        }
        #expect(received == Self.json + "\n")
        await server.close()
    }

    @Test func doesNotDoubleATrailingNewline() async throws {
        let server = try await StatsPortServer.bind(host: "127.0.0.1", port: 0) { "{}\n" }
        let received = try await TestClient.connect(port: server.port) { client in
            await client.readToEnd()
        }
        #expect(received == "{}\n")
        await server.close()
    }

    @Test func servesEveryConnectionFreshStats() async throws {
        let counter = Counter()
        let server = try await StatsPortServer.bind(host: "127.0.0.1", port: 0) {
            #"{"n":\#(await counter.next())}"#
        }
        var received: Set<String> = []
        for _ in 0..<3 {
            received.insert(try await TestClient.connect(port: server.port) { await $0.readToEnd() })
        }
        #expect(received == [#"{"n":1}"# + "\n", #"{"n":2}"# + "\n", #"{"n":3}"# + "\n"])
        await server.close()
    }

    @Test func bindFailureNamesTheAddress() async throws {
        let server = try await StatsPortServer.bind(host: "127.0.0.1", port: 0) { "{}" }
        let error = await #expect(throws: AdminServerError.self) {
            _ = try await StatsPortServer.bind(host: "127.0.0.1", port: server.port) { "{}" }
        }
        #expect(error?.description == "cannot listen on 127.0.0.1:\(server.port): Address already in use")
        await server.close()
    }

    @Test func unknownHostIsReported() async throws {
        let error = await #expect(throws: AdminServerError.self) {
            _ = try await StatsPortServer.bind(host: "no.such.host.invalid", port: 0) { "{}" }
        }
        #expect(error?.description.hasPrefix("cannot listen on no.such.host.invalid:0: ") == true)
    }
}

private actor Counter {
    private var value = 0

    func next() -> Int {
        self.value += 1
        return self.value
    }
}
