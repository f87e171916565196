import NIOCore
import NIOHTTP1

/// What an admin route answers: a status, a content type, extra headers and a body.
///
/// `Content-Length` and `Connection` are set by the server. For a `HEAD` request the body is left out but its
/// length is still reported.
///
/// ```swift
/// let health = AdminResponse.text("ok\n")
/// let down = AdminResponse.text("no backend reachable\n", status: .serviceUnavailable)
/// let metrics = AdminResponse.prometheus(registry.exposition())
/// ```
public struct AdminResponse: Sendable {
    /// The Prometheus text exposition format, version 0.0.4.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    public var status: HTTPResponseStatus
    public var contentType: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    /// A response whose body is already in a buffer.
    public init(
        status: HTTPResponseStatus = .ok,
        contentType: String,
        headers: HTTPHeaders = [:],
        body: ByteBuffer
    ) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// A response whose body is a string, sent as UTF-8.
    public init(
        status: HTTPResponseStatus = .ok,
        contentType: String,
        headers: HTTPHeaders = [:],
        body: String
    ) {
        self.init(status: status, contentType: contentType, headers: headers, body: ByteBuffer(string: body))
    }

    /// A `text/plain` response.
    public static func text(_ body: String, status: HTTPResponseStatus = .ok) -> AdminResponse {
        AdminResponse(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }

    /// An `application/json` response.
    public static func json(_ body: String, status: HTTPResponseStatus = .ok) -> AdminResponse {
        AdminResponse(status: status, contentType: "application/json", body: body)
    }

    /// A Prometheus text-format (0.0.4) response.
    public static func prometheus(_ body: String) -> AdminResponse {
        AdminResponse(contentType: Self.prometheusContentType, body: body)
    }
}
