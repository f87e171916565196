import Foundation
import ProxyFuzzing
import Testing

/// The fuzz corpus and the regression inputs, replayed through the proxy fuzz harnesses: a crash libFuzzer
/// found becomes a regression test by adding its input under `Fuzz/regressions/<target>/`.
@Suite("ProxyFuzzing", .serialized)
struct ProxyFuzzingTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func paths(_ target: String) -> [String] {
        ["corpus", "regressions"].map { Self.fuzzDirectory.appendingPathComponent("\($0)/\(target)").path }
    }

    @Test func requestCorpusAndRegressionsPass() async throws {
        let paths = Self.paths("proxy-request")
        #expect(ProxyFuzzReplay.inputs(paths).count >= 10)
        let failures = try await Self.onOwnThread { ProxyFuzzReplay.run(paths: paths, through: ProxyRequestFuzzer.run) }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func replyCorpusAndRegressionsPass() async throws {
        let paths = Self.paths("proxy-reply")
        #expect(ProxyFuzzReplay.inputs(paths).count >= 10)
        let failures = try await Self.onOwnThread { ProxyFuzzReplay.run(paths: paths, through: ProxyReplyFuzzer.run) }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func harnessesCatchWhatTheyCheck() async throws {
        // A protocol error is answered and the connection closed; backend garbage becomes the proxy's error.
        try await Self.onOwnThread {
            try ProxyRequestFuzzer.run(Array("*1\r\n$4\r\nPING\r\n*1\r\n$-7\r\n".utf8))
            try ProxyRequestFuzzer.run(Array("$99999999\r\n".utf8))
            try ProxyReplyFuzzer.run([0] + Array("$1\r\na\r\n!garbage\r\n".utf8))
            try ProxyReplyFuzzer.run([2] + Array("*3\r\n$9\r\nsubscribe\r\n$9\r\nfuzz:last\r\n:1\r\n".utf8))
        }
    }

    /// The harnesses block on sockets: keep them off Swift's cooperative threads, which the proxy needs.
    static func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
