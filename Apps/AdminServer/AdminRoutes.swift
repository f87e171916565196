import NIOHTTP1

/// The paths an ``AdminHTTPServer`` answers, each with the handler that builds its response.
///
/// Routes match the path exactly; the query string is ignored. Only `GET` and `HEAD` are served. Handlers run
/// outside the channel's event loop, so they may await anything.
///
/// ```swift
/// let routes: AdminRoutes = [
///     "/health": { .text("ok\n") },
///     "/stats": { .json(await proxy.statsJSON()) },
/// ]
/// ```
public struct AdminRoutes: Sendable, ExpressibleByDictionaryLiteral {
    /// Builds the response for one request.
    public typealias Handler = @Sendable () async -> AdminResponse

    private var handlers: [String: Handler]

    /// Routes from a path-to-handler dictionary.
    public init(_ handlers: [String: Handler] = [:]) {
        self.handlers = handlers
    }

    public init(dictionaryLiteral elements: (String, Handler)...) {
        self.handlers = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The handler for `path`, or `nil`. Setting replaces any handler already there.
    public subscript(path: String) -> Handler? {
        get { self.handlers[path] }
        set { self.handlers[path] = newValue }
    }

    /// The paths that have a handler.
    public var paths: [String] { self.handlers.keys.sorted() }
}

extension AdminRoutes {
    /// What a request resolves to.
    enum Resolution {
        case handler(Handler)
        case notFound
        case methodNotAllowed
    }

    static let allowedMethods = "GET, HEAD"

    func resolve(method: HTTPMethod, uri: String) -> Resolution {
        let path = uri.prefix { $0 != "?" && $0 != "#" }
        guard let handler = self.handlers[String(path)] else { return .notFound }
        switch method {
        case .GET, .HEAD: return .handler(handler)
        default: return .methodNotAllowed
        }
    }
}
