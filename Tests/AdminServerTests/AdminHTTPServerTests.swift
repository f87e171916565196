import AdminServer
import NIOCore
import NIOPosix
import Testing

@Suite("AdminHTTPServer over real TCP")
struct AdminHTTPServerTests {
    static let routes: AdminRoutes = [
        "/metrics": { .prometheus("pool_requests_total 3\n") },
        "/stats": {
            // Gathered on another event loop, as the proxy does.
            let total = try? await MultiThreadedEventLoopGroup.singleton.next().submit { 3 }.get()
            return .json(#"{"total_connections":\#(total ?? -1)}"#)
        },
        "/health": { .text("ok\n") },
    ]

    static func withServer<Result>(
        routes: AdminRoutes = Self.routes,
        limits: AdminServerLimits = AdminServerLimits(),
        _ body: (AdminHTTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await AdminHTTPServer.bind(host: "127.0.0.1", port: 0, routes: routes, limits: limits)
        do {
            let result = try await body(server)
            await server.close()
            return result
        } catch {
            await server.close()
            throw error
        }
    }

    @Test func servesEachRoute() async throws {
        try await Self.withServer { server in
            #expect(server.port > 0)
            try await TestClient.connect(port: server.port) { client in
                try await client.send(.request("/metrics") + .request("/stats") + .request("/health"))

                let metrics = try #require(await client.readResponse())
                #expect(metrics.status == 200)
                #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
                #expect(metrics.body == "pool_requests_total 3\n")

                let stats = try #require(await client.readResponse())
                #expect(stats.status == 200)
                #expect(stats.header("content-type") == "application/json")
                #expect(stats.body == #"{"total_connections":3}"#)

                let health = try #require(await client.readResponse())
                #expect(health.status == 200)
                #expect(health.body == "ok\n")
                #expect(health.header("content-length") == "3")
            }
        }
    }

    @Test func headSendsHeadersWithoutBody() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send(.request("/health", method: "HEAD") + .request("/health"))
                let head = try #require(await client.readResponse(bodyless: true))
                #expect(head.status == 200)
                #expect(head.header("content-length") == "3")
                // Had the HEAD answer carried a body, this next response would not parse.
                let get = try #require(await client.readResponse())
                #expect(get.status == 200)
                #expect(get.body == "ok\n")
            }
        }
    }

    @Test func unknownPathIs404AndQueryStringIsIgnored() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send(.request("/nope") + .request("/health?verbose=1"))
                let missing = try #require(await client.readResponse())
                #expect(missing.status == 404)
                let health = try #require(await client.readResponse())
                #expect(health.status == 200)
            }
        }
    }

    @Test func otherMethodsAre405WithAllow() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send(.request("/health", method: "POST", headers: ["Content-Length: 4"]) + "ping")
                let response = try #require(await client.readResponse())
                #expect(response.status == 405)
                #expect(response.header("allow") == "GET, HEAD")
                try await client.send(.request("/stats", method: "DELETE"))
                #expect(await client.readResponse()?.status == 405)
            }
        }
    }

    @Test func keepAliveServesSequentialRequestsOnOneConnection() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                for _ in 0..<2 {
                    try await client.send(.request("/health"))
                    let response = try #require(await client.readResponse())
                    #expect(response.status == 200)
                    #expect(response.header("connection") == nil)
                }
            }
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send(.request("/health", headers: ["Connection: close"]))
                let response = try #require(await client.readResponse())
                #expect(response.status == 200)
                #expect(response.header("connection") == "close")
                #expect(await client.readToEnd() == "")
            }
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let kept = try #require(await client.readResponse())
                #expect(kept.header("connection") == "keep-alive")
                try await client.send("GET /health HTTP/1.0\r\n\r\n")
                let closed = try #require(await client.readResponse())
                #expect(closed.status == 200)
                #expect(await client.readToEnd() == "")
            }
        }
    }

    @Test func malformedRequestIs400AndClosed() async throws {
        try await Self.withServer { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send("this is not http\r\n\r\n")
                let response = try #require(await client.readResponse())
                #expect(response.status == 400)
                #expect(await client.readToEnd() == "")
            }
        }
    }

    @Test func oversizedHeadersAre400() async throws {
        try await Self.withServer(limits: AdminServerLimits(maxHeaderBytes: 1024)) { server in
            try await TestClient.connect(port: server.port) { client in
                let padding = String(repeating: "x", count: 2048)
                try await client.send(.request("/health", headers: ["X-Padding: \(padding)"]))
                #expect(await client.readResponse()?.status == 400)
            }
        }
    }

    @Test func concurrentClients() async throws {
        try await Self.withServer { server in
            try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        try await TestClient.connect(port: server.port) { client in
                            try await client.send(.request("/stats"))
                            return await client.readResponse()?.body
                        }
                    }
                }
                var bodies: [String?] = []
                for try await body in group {
                    bodies.append(body)
                }
                #expect(bodies.count == 32)
                #expect(bodies.allSatisfy { $0 == #"{"total_connections":3}"# })
            }
        }
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        try await Self.withServer(limits: AdminServerLimits(maxConnections: 2)) { server in
            try await TestClient.connect(port: server.port) { first in
                try await TestClient.connect(port: server.port) { second in
                    // A response on each proves both were admitted before the third arrives.
                    for client in [first, second] {
                        try await client.send(.request("/health"))
                        #expect(await client.readResponse()?.status == 200)
                    }
                    try await TestClient.connect(port: server.port) { third in
                        try? await third.send(.request("/health"))
                        #expect(await third.readToEnd() == "")
                    }
                    try await first.send(.request("/health"))
                    #expect(await first.readResponse()?.status == 200)
                }
            }
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        // Long enough that a loaded machine (CI builds beside the tests) still sends the request before the
        // connection counts as idle; 1 s once was not, and 3 s once was not either (the whole suite ran 9 s).
        try await Self.withServer(limits: AdminServerLimits(idleTimeout: .seconds(6))) { server in
            try await TestClient.connect(port: server.port) { client in
                try await client.send(.request("/health"))
                #expect(await client.readResponse()?.status == 200)
                #expect(await client.readToEnd() == "")
            }
        }
    }

    @Test func closeLetsInFlightRequestsFinish() async throws {
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let (gate, gateContinuation) = AsyncStream.makeStream(of: Void.self)
        let routes: AdminRoutes = [
            "/slow": {
                startedContinuation.yield()
                for await _ in gate { break }
                return .text("done\n")
            }
        ]
        let server = try await AdminHTTPServer.bind(host: "127.0.0.1", port: 0, routes: routes)
        try await TestClient.connect(port: server.port) { idle in
            try await TestClient.connect(port: server.port) { busy in
                try await busy.send(.request("/slow"))
                for await _ in started { break }
                async let closed: Void = server.close()
                await Task.yield()
                gateContinuation.yield()

                let response = try #require(await busy.readResponse())
                #expect(response.status == 200)
                #expect(response.body == "done\n")
                #expect(await busy.readToEnd() == "")
                #expect(await idle.readToEnd() == "")
                await closed
            }
        }
        await #expect(throws: (any Error).self) {
            try await TestClient.connect(port: server.port) { _ in }
        }
    }

    @Test func bindFailureNamesTheAddress() async throws {
        try await Self.withServer { server in
            let error = await #expect(throws: AdminServerError.self) {
                _ = try await AdminHTTPServer.bind(host: "127.0.0.1", port: server.port, routes: Self.routes)
            }
            #expect(error?.description == "cannot listen on 127.0.0.1:\(server.port): Address already in use")
        }
    }
}
