import NIOConcurrencyHelpers
import NIOCore
import RESPCodec

/// Drives the proxy's request path with arbitrary client bytes, against ``FuzzBackend`` in echo mode.
///
/// The input is first split into requests with the proxy's own client limits. Then, for one client connection:
/// - if the input breaks the protocol, the client must get well-formed replies ending in
///   `-ERR Protocol error...` (unless a QUIT came first), and the proxy must close the connection;
/// - otherwise the complete requests are sent with a sentinel request after them, and the client must get a
///   well-formed reply stream up to the sentinel's echo, with the echoed requests in the order they were sent;
///   a trailing incomplete request is sent last and the client leaves;
/// - the backend must only ever receive well-formed requests, each one the client sent, or one the proxy sends
///   itself (connection set-up, pin release).
///
/// ```swift
/// try ProxyRequestFuzzer.run(Array("*1\r\n$4\r\nPING\r\n".utf8))
/// ```
public enum ProxyRequestFuzzer {
    /// How long the proxy may take to answer; far above what any input needs, so that only a hang trips it.
    static let patience: Duration = .seconds(10)

    static let sentinel: [UInt8] = Array("*2\r\n$4\r\nECHO\r\n$19\r\nproxy-fuzz-sentinel\r\n".utf8)

    /// Commands the proxy sends on its own account.
    static let generatedCommands: Set<String> = [
        "hello", "auth", "select", "readonly", "asking", "ping", "reset", "discard", "unwatch", "multi",
        "unsubscribe", "punsubscribe", "sunsubscribe",
    ]

    /// Runs one input; throws when the proxy broke a property.
    public static func run(_ input: [UInt8]) throws {
        let environment = ProxyFuzzEnvironment.shared
        let backend = environment.backend
        backend.script.setMode(.echo)
        let (_, port) = try environment.shared()
        _ = backend.script.takeRecord()

        let split = RESPFrameSplit(input, mode: .request, limits: ProxyFuzzEnvironment.clientLimits)
        let client = try FuzzClientSocket(port: port)
        defer { client.close() }
        let quits = split.frames.contains { Self.commandName($0) == "quit" }

        if let parseError = split.error {
            client.send(input)
            guard client.readReplies(timeout: Self.patience, until: { _ in false }) || client.replies.closed else {
                throw ProxyFuzzFailure("no close within \(Self.patience) after a protocol error (\(parseError))")
            }
            try Self.checkWellFormed(client.replies)
            if !quits {
                guard let last = client.replies.frames.last, Self.isProtocolError(last) else {
                    throw ProxyFuzzFailure(
                        "the last reply is not the protocol error (\(parseError)): \(Self.describe(client.replies.frames.last))"
                    )
                }
            }
        } else {
            client.send(input[..<split.consumed])
            client.send(Self.sentinel)
            let finished = client.readReplies(timeout: Self.patience) { replies in
                replies.frames.last.map(Self.isSentinelEcho) ?? false
            }
            try Self.checkWellFormed(client.replies)
            if !finished {
                throw ProxyFuzzFailure(
                    "no reply to the sentinel within \(Self.patience); \(client.replies.frames.count) replies"
                )
            }
            let sawSentinel = client.replies.frames.contains(where: Self.isSentinelEcho)
            if !sawSentinel && !quits {
                throw ProxyFuzzFailure("the proxy closed the connection without a QUIT or a protocol error")
            }
            try Self.checkOrder(client.replies.frames, sent: split.frames)
            if sawSentinel, split.consumed < input.count {
                client.send(input[split.consumed...])
            }
        }
        client.close()
        // Earlier inputs' last requests may reach the backend after those inputs ended: after a protocol error the
        // harness does not wait for their replies. Requests of the last few inputs are accepted as late arrivals.
        let previous = Self.previousRequests.withLockedValue { previous in
            let earlier = previous.reduce(into: Set<ByteBuffer>()) { $0.formUnion($1) }
            previous.append(Set(split.frames.map(\.base)))
            if previous.count > 4 { previous.removeFirst() }
            return earlier
        }
        try Self.checkBackend(backend.script.takeRecord(), sent: split.frames, previous: previous)
    }

    private static let previousRequests = NIOLockedValueBox<[Set<ByteBuffer>]>([])

    // MARK: - Properties

    private static func checkWellFormed(_ replies: FuzzClientSocket.Replies) throws {
        if let malformed = replies.malformed {
            throw ProxyFuzzFailure("the proxy sent a malformed reply stream: \(malformed)")
        }
    }

    /// Every echo the client got answers one of its requests, in the order it sent them.
    private static func checkOrder(_ replies: [RESPToken], sent: [RESPToken]) throws {
        let requests = sent.map(\.base) + [ByteBuffer(bytes: Self.sentinel)]
        let echoes = replies.filter { reply in
            guard case .bulkString(let echoed) = reply.value else { return false }
            return requests.contains(echoed)
        }
        // Each echo matched in turn; an echo found only earlier in the list is out of order.
        var cursor = 0
        for echo in echoes {
            guard case .bulkString(let echoed) = echo.value else { continue }
            guard let position = requests[cursor...].firstIndex(of: echoed) else {
                throw ProxyFuzzFailure("reply out of order: echo of \(FuzzBackendHandler.printable(echoed))")
            }
            cursor = position + 1
        }
    }

    /// The backend got only well-formed requests, each one the client sent or one the proxy makes itself.
    private static func checkBackend(
        _ record: FuzzBackendScript.Record,
        sent: [RESPToken],
        previous: Set<ByteBuffer>
    ) throws {
        if let malformed = record.malformed.first {
            throw ProxyFuzzFailure("the proxy forwarded a malformed request: \(malformed)")
        }
        let requests = Set(sent.map(\.base) + [ByteBuffer(bytes: Self.sentinel)]).union(previous)
        for frame in record.frames where !requests.contains(frame) {
            guard let token = try? RESPToken(validating: frame), let name = Self.commandName(token),
                Self.generatedCommands.contains(name)
            else {
                throw ProxyFuzzFailure(
                    "the backend got a request the client never sent: \(FuzzBackendHandler.printable(frame))"
                )
            }
        }
    }

    // MARK: - Helpers

    static func commandName(_ frame: RESPToken) -> String? {
        guard case .array(let elements) = frame.value, let first = elements.first(where: { _ in true }),
            case .bulkString(let name) = first.value
        else { return nil }
        return String(buffer: name).lowercased()
    }

    private static func isSentinelEcho(_ reply: RESPToken) -> Bool {
        guard case .bulkString(let echoed) = reply.value else { return false }
        return echoed == ByteBuffer(bytes: Self.sentinel)
    }

    private static func isProtocolError(_ reply: RESPToken) -> Bool {
        guard case .simpleError(let message) = reply.value else { return false }
        return String(buffer: message).hasPrefix("ERR Protocol error")
    }

    static func describe(_ token: RESPToken?) -> String {
        token.map { FuzzBackendHandler.printable($0.base) } ?? "nothing"
    }
}
