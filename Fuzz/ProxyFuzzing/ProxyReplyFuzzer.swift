import NIOCore
import RESPCodec

/// Drives backend replies into the proxy: ``FuzzBackend`` answers the client's requests with the input's bytes,
/// then closes the connection. Inputs share a proxy only while nothing can reach the next one: an input waits
/// until the proxy has seen every backend connection close, and one whose replies reject the connection set-up
/// (which starts a reconnect backoff) gets a proxy of its own. Every outcome then follows from the input alone.
///
/// The first byte picks the client, the rest are the replies:
/// - 0: a RESP2 client pipelines `GET fuzz:0`, `GET fuzz:1`, `GET fuzz:last` on the multiplexed connection;
/// - 1: a client sends `HELLO 3` first, so the connection opens with the proxy's own `HELLO 3`, which the first
///   reply answers (an error there rejects the connection);
/// - 2: a client sends `SUBSCRIBE fuzz:last` and is pinned to a dedicated connection, which streams every reply.
///
/// The proxy splits the replies with the same parser as the harness, so the expected outcome is exact: on the
/// multiplexed connection each request gets its reply byte for byte, and those the replies do not cover (the
/// backend closed, sent garbage, or rejected the set-up) get the proxy's `-ERR pool-proxy: backend ...`, with
/// the client still connected; a pinned subscriber gets every complete reply and is then disconnected.
///
/// ```swift
/// try ProxyReplyFuzzer.run([0] + Array("$1\r\na\r\n:1\r\n+OK\r\n".utf8))
/// ```
public enum ProxyReplyFuzzer {
    static let patience: Duration = .seconds(10)

    enum Scenario: CaseIterable {
        case resp2
        case resp3
        case subscriber

        var requests: [[String]] {
            switch self {
            case .resp2: [["GET", "fuzz:0"], ["GET", "fuzz:1"], ["GET", FuzzBackendScript.marker]]
            case .resp3: [["HELLO", "3"], ["GET", "fuzz:0"], ["GET", FuzzBackendScript.marker]]
            case .subscriber: [["SUBSCRIBE", FuzzBackendScript.marker]]
            }
        }
    }

    /// Runs one input; throws when the proxy broke a property.
    public static func run(_ input: [UInt8]) throws {
        guard let first = input.first else { return }
        let scenario = Scenario.allCases[Int(first) % Scenario.allCases.count]
        let replies = Array(input.dropFirst())
        let environment = ProxyFuzzEnvironment.shared
        environment.backend.script.setMode(.play(replies))
        _ = environment.backend.script.takeRecord()
        let split = RESPFrameSplit(replies, mode: .reply, limits: RESPParser.Limits())
        let rejectsSetUp = scenario == .resp3 && split.frames.first.map(Self.isError) == true
        let port = try environment.replyProxy(restarting: rejectsSetUp)
        let client = try FuzzClientSocket(port: port)
        defer { client.close() }
        var request = ByteBuffer()
        for arguments in scenario.requests { _ = request.writeRESPCommand(arguments) }
        client.send(request.readableBytesView)

        switch scenario {
        case .resp2, .resp3:
            let count = scenario.requests.count
            let finished = client.readReplies(timeout: Self.patience) { $0.frames.count >= count }
            if let malformed = client.replies.malformed {
                throw ProxyFuzzFailure("malformed reply stream: \(malformed)")
            }
            guard finished, client.replies.frames.count == count else {
                throw ProxyFuzzFailure(
                    "\(client.replies.frames.count) of \(count) replies (closed: \(client.replies.closed))"
                )
            }
            // The proxy's own HELLO 3 takes the first reply; an error there fails the whole connection.
            var frames = split.frames[...]
            if scenario == .resp3 {
                if let handshake = frames.first, Self.isError(handshake) {
                    frames = []
                } else {
                    frames = frames.dropFirst()
                }
            }
            for (index, reply) in client.replies.frames.enumerated() {
                if index < frames.count {
                    let expected = frames[frames.startIndex + index]
                    guard reply.base == expected.base else {
                        throw ProxyFuzzFailure(
                            "reply \(index) is \(ProxyRequestFuzzer.describe(reply)), expected \(ProxyRequestFuzzer.describe(expected))"
                        )
                    }
                } else {
                    guard Self.isProxyError(reply) else {
                        throw ProxyFuzzFailure(
                            "reply \(index) is \(ProxyRequestFuzzer.describe(reply)), expected the proxy's error"
                        )
                    }
                }
            }
            if client.replies.closed {
                throw ProxyFuzzFailure("the proxy closed the client over a backend's replies")
            }
        case .subscriber:
            let finished = client.readReplies(timeout: Self.patience) { _ in false }
            if let malformed = client.replies.malformed {
                throw ProxyFuzzFailure("malformed reply stream: \(malformed)")
            }
            guard finished || client.replies.closed else {
                throw ProxyFuzzFailure("the subscriber was not disconnected when its connection ended")
            }
            let got = client.replies.frames.map(\.base)
            let expected = split.frames.map(\.base)
            let matches =
                expected.isEmpty
                ? got.count == 1 && Self.isProxyError(client.replies.frames[0]) : got == expected
            guard matches else {
                throw ProxyFuzzFailure(
                    "the subscriber got \(got.count) replies, expected \(expected.isEmpty ? "the proxy's error" : "\(expected.count)")"
                )
            }
        }
        client.close()
        try environment.awaitBackendConnectionsClosed()
        if let malformed = environment.backend.script.takeRecord().malformed.first {
            throw ProxyFuzzFailure("the proxy forwarded a malformed request: \(malformed)")
        }
    }

    private static func isError(_ token: RESPToken) -> Bool {
        switch token.value {
        case .simpleError, .bulkError: true
        default: false
        }
    }

    private static func isProxyError(_ token: RESPToken) -> Bool {
        guard case .simpleError(let message) = token.value else { return false }
        return String(buffer: message).hasPrefix("ERR pool-proxy: backend ")
    }
}
