import NIOCore
import Testing

@testable import RESPCodec

/// Malformed input gets a typed error whose text is Redis's own where Redis has one, and never a crash.
@Suite struct RESPParserMalformedInputTests {
    static let requestCorpus: [(wire: String, message: String)] = [
        ("*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"),
        ("*2\r\n$3\r\nGET\r\n:1\r\n", "Protocol error: expected '$', got ':'"),
        ("*1\r\n*1\r\n", "Protocol error: expected '$', got '*'"),
        ("*abc\r\n", "Protocol error: invalid multibulk length"),
        ("*3000000000\r\n", "Protocol error: invalid multibulk length"),
        ("*1\r\n$abc\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$-5\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$99999999999999999999999\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$3\r\nabcde\r\n", "Protocol error: expected CRLF"),
        ("*1\r\n$ 3\r\n", "Protocol error: invalid bulk length"),
        ("*1\rx", "Protocol error: expected CRLF"),
        ("SET k \"unterminated\r\n", "Protocol error: unbalanced quotes in request"),
        ("SET k \"a\"b\r\n", "Protocol error: unbalanced quotes in request"),
        ("SET k 'a\r\n", "Protocol error: unbalanced quotes in request"),
    ]

    static let replyCorpus: [(wire: String, message: String)] = [
        ("?what\r\n", "Protocol error: unknown type byte '?'"),
        ("\u{1}\r\n", "Protocol error: unknown type byte '\\x1'"),
        (":12a\r\n", "Protocol error: invalid integer"),
        (":\r\n", "Protocol error: invalid integer"),
        (":-\r\n", "Protocol error: invalid integer"),
        (":+1\r\n", "Protocol error: invalid integer"),
        (":99999999999999999999\r\n", "Protocol error: invalid integer"),
        ("#x\r\n", "Protocol error: invalid boolean"),
        ("#tt\r\n", "Protocol error: invalid boolean"),
        ("_x\r\n", "Protocol error: invalid null"),
        (",abc\r\n", "Protocol error: invalid double"),
        (",\r\n", "Protocol error: invalid double"),
        ("(12x\r\n", "Protocol error: invalid big number"),
        ("=3\r\ntxt\r\n", "Protocol error: invalid verbatim string"),
        ("=5\r\ntxt-x\r\n", "Protocol error: invalid verbatim string"),
        ("$-2\r\n", "Protocol error: invalid bulk length"),
        ("!-1\r\n", "Protocol error: invalid bulk length"),
        ("%-1\r\n", "Protocol error: invalid multibulk length"),
        ("*-2\r\n", "Protocol error: invalid multibulk length"),
        ("$1\r\nab\r\n", "Protocol error: expected CRLF"),
        ("+OK\rX", "Protocol error: expected CRLF"),
        ("*2\r\n:1\r\n?\r\n", "Protocol error: unknown type byte '?'"),
    ]

    @Test(arguments: Self.requestCorpus.indices)
    func malformedRequests(index: Int) {
        let (wire, message) = Self.requestCorpus[index]
        #expect(Self.error(parsing: wire, mode: .request)?.description == message, "\(wire.debugDescription)")
    }

    @Test(arguments: Self.replyCorpus.indices)
    func malformedReplies(index: Int) {
        let (wire, message) = Self.replyCorpus[index]
        #expect(Self.error(parsing: wire, mode: .reply)?.description == message, "\(wire.debugDescription)")
    }

    @Test func errorsAreTheSameWhateverTheReadSizes() {
        for (wire, message) in Self.requestCorpus {
            #expect(Self.error(parsing: wire, mode: .request, chunkSize: 1)?.description == message)
        }
        for (wire, message) in Self.replyCorpus {
            #expect(Self.error(parsing: wire, mode: .reply, chunkSize: 1)?.description == message)
        }
    }

    @Test func randomGarbageNeverTraps() {
        var generator = SeededGenerator(seed: 99)
        let alphabet = Array("*$:+-_#,(!=%~|>0123456789-\r\nabc ".utf8)
        for _ in 0..<20_000 {
            let length = Int.random(in: 1..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            for mode in [RESPParser.Mode.request, .reply] {
                var parser = RESPParser(mode: mode)
                var buffer = ByteBuffer(bytes: bytes)
                do {
                    while let token = try parser.next(&buffer) { _ = RESPValue(token) }
                } catch {
                    #expect(error.description.hasPrefix("Protocol error: "))
                }
            }
        }
    }

    static func error(parsing wire: String, mode: RESPParser.Mode, chunkSize: Int = .max) -> RESPParsingError? {
        var parser = RESPParser(mode: mode)
        var buffer = ByteBuffer()
        let bytes = Array(wire.utf8)
        var start = 0
        do {
            while start < bytes.count {
                let end = min(bytes.count, start + min(chunkSize, bytes.count))
                buffer.writeBytes(bytes[start..<end])
                start = end
                while try parser.next(&buffer) != nil {}
            }
        } catch {
            return error
        }
        return nil
    }
}
