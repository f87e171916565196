import NIOCore
import NIOPosix

/// A raw TCP client for the tests: writes bytes, reads HTTP responses framed by `Content-Length`, or reads
/// everything until the server closes.
final class TestClient {
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending = ByteBuffer()
    private var sawEOF = false

    private init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    static func connect<Result>(
        port: Int,
        _ body: (TestClient) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(TestClient(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    func send(_ text: String) async throws {
        try await self.outbound.write(ByteBuffer(string: text))
    }

    /// Everything the server sends until it closes; a reset counts as a close.
    func readToEnd() async -> String {
        while await self.fill() {}
        return self.pending.readString(length: self.pending.readableBytes) ?? ""
    }

    /// One response; `bodyless` for answers to HEAD, whose `Content-Length` describes a body never sent.
    /// Returns `nil` if the server closes first.
    func readResponse(bodyless: Bool = false) async -> Response? {
        var headEnd = self.pending.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8))
        while headEnd == nil {
            guard await self.fill() else { return nil }
            headEnd = self.pending.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8))
        }
        let headLength = headEnd!.upperBound - self.pending.readerIndex
        let head = self.pending.readString(length: headLength)!
        var lines = head.split(separator: "\r\n").map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        let headers = lines.map { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (name: String(parts[0]), value: parts[1].trimmingPrefix(" ").description)
        }
        var response = Response(status: Int(statusLine[1])!, headers: headers, body: "")
        let length = bodyless ? 0 : Int(response.header("content-length") ?? "0")!
        while self.pending.readableBytes < length {
            guard await self.fill() else { return nil }
        }
        response.body = self.pending.readString(length: length)!
        return response
    }

    private func fill() async -> Bool {
        guard !self.sawEOF else { return false }
        do {
            if var chunk = try await self.inbound.next() {
                self.pending.writeBuffer(&chunk)
                return true
            }
        } catch {}
        self.sawEOF = true
        return false
    }
}

extension String {
    /// A minimal HTTP/1.1 request.
    static func request(_ path: String, method: String = "GET", headers: [String] = []) -> String {
        ([method + " " + path + " HTTP/1.1", "Host: localhost"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
    }
}
