import Testing

@testable import AdminServer

@Suite struct AdminRoutesTests {
    static let routes: AdminRoutes = ["/health": { .text("ok\n") }]

    @Test(arguments: ["/health", "/health?x=1", "/health#top"])
    func matchesThePathOnly(uri: String) {
        guard case .handler = Self.routes.resolve(method: .GET, uri: uri) else {
            Issue.record("\(uri) did not resolve")
            return
        }
    }

    @Test func unknownPathsAreNotFoundWhateverTheMethod() {
        guard case .notFound = Self.routes.resolve(method: .POST, uri: "/healthz") else {
            Issue.record("expected notFound")
            return
        }
    }

    @Test func onlyGetAndHeadAreAllowed() {
        guard case .handler = Self.routes.resolve(method: .HEAD, uri: "/health"),
            case .methodNotAllowed = Self.routes.resolve(method: .PUT, uri: "/health")
        else {
            Issue.record("unexpected resolution")
            return
        }
    }

    @Test func subscriptAddsAndRemoves() {
        var routes = Self.routes
        routes["/stats"] = { .json("{}") }
        #expect(routes.paths == ["/health", "/stats"])
        routes["/health"] = nil
        #expect(routes.paths == ["/stats"])
    }
}
