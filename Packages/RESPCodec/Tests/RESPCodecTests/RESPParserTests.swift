import NIOCore
import Testing

@testable import RESPCodec

@Suite struct RESPParserTests {
    // MARK: - Framing

    @Test func pipelinedFramesComeOutOneByOne() throws {
        var parser = RESPParser(mode: .reply)
        var buffer = ByteBuffer(string: "+OK\r\n:1\r\n$3\r\nabc\r\n*1\r\n")
        #expect(try parser.next(&buffer)?.base == ByteBuffer(string: "+OK\r\n"))
        #expect(try parser.next(&buffer)?.base == ByteBuffer(string: ":1\r\n"))
        #expect(try parser.next(&buffer)?.base == ByteBuffer(string: "$3\r\nabc\r\n"))
        #expect(try parser.next(&buffer) == nil)
        #expect(String(buffer: buffer) == "*1\r\n", "an incomplete frame is not consumed")
        buffer.writeString("_\r\n")
        #expect(try parser.next(&buffer)?.base == ByteBuffer(string: "*1\r\n_\r\n"))
        #expect(buffer.readableBytes == 0)
    }

    @Test func tokensAreSlicesOfTheInputStorage() throws {
        var parser = RESPParser(mode: .request)
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
        let token = try #require(try parser.next(&buffer))
        let inputAddress = buffer.withUnsafeReadableBytes { $0.baseAddress! } - 22
        let tokenAddress = token.base.withUnsafeReadableBytes { $0.baseAddress! }
        #expect(inputAddress == tokenAddress, "the token shares the input's storage")
        guard case .array(let arguments) = token.value else {
            Issue.record("expected an array")
            return
        }
        #expect(arguments.map { RESPValue($0) } == [.bulkString("GET"), .bulkString("key")])
        #expect(token.aggregateCount == 2)
    }

    @Test func largeBulkStringInOneByteReadsIsScannedOnce() throws {
        let size = 1024 * 1024
        var wire = ByteBuffer(string: "$\(size)\r\n")
        wire.writeBytes((0..<size).lazy.map { UInt8(truncatingIfNeeded: $0) })
        wire.writeString("\r\n")
        let total = wire.readableBytes
        // Reveal the bytes one at a time, as 1-byte reads into an accumulating buffer would. Each call must be
        // O(1): a parser that re-scanned from the start would need ~5×10¹¹ steps and never finish.
        var parser = RESPParser(mode: .reply)
        var revealed = wire
        var token: RESPToken?
        var earlyTokens = 0
        for length in 1...total {
            revealed.moveWriterIndex(to: wire.readerIndex + length)
            token = try parser.next(&revealed)
            if token != nil && length < total { earlyTokens += 1 }
        }
        #expect(earlyTokens == 0)
        let result = try #require(token)
        guard case .bulkString(let payload) = result.value else {
            Issue.record("expected a bulk string")
            return
        }
        #expect(payload.readableBytes == size)
        #expect(payload.getInteger(at: payload.readerIndex + 1000, as: UInt8.self) == UInt8(truncatingIfNeeded: 1000))
        #expect(revealed.readableBytes == 0)
    }

    @Test func longHeaderLinesAreNotSearchedAgainOnEveryRead() throws {
        var parser = RESPParser(mode: .reply)
        var buffer = ByteBuffer()
        let text = String(repeating: "x", count: 200_000)
        for byte in "+\(text)\r\n".utf8 {
            buffer.writeInteger(byte)
            if let token = try parser.next(&buffer) {
                #expect(token.base.readableBytes == text.count + 3)
                return
            }
        }
        Issue.record("the simple string never completed")
    }

    @Test func deeplyNestedAggregatesInSmallReads() throws {
        var wire = ""
        for _ in 0..<50 { wire += "*2\r\n:1\r\n" }
        wire += "$2\r\nok\r\n"
        var parser = RESPParser(mode: .reply)
        var buffer = ByteBuffer()
        var tokens: [RESPToken] = []
        for chunk in Array(wire.utf8).chunked(into: 3) {
            buffer.writeBytes(chunk)
            while let token = try parser.next(&buffer) { tokens.append(token) }
        }
        #expect(tokens.count == 1)
        #expect(tokens.first?.base.readableBytes == wire.utf8.count)
    }

    // MARK: - Requests

    @Test(arguments: RESPFixtures.requests.indices)
    func requestsAndInlineCommands(index: Int) throws {
        let (wire, arguments) = RESPFixtures.requests[index]
        var parser = RESPParser(mode: .request)
        var buffer = ByteBuffer(string: wire)
        let token = try #require(try parser.next(&buffer))
        #expect(buffer.readableBytes == 0)
        #expect(RESPValue(token) == .array(arguments.map { .bulkString(ByteBuffer(string: $0)) }))
    }

    @Test func blankInlineLinesAndEmptyArraysAreSkipped() throws {
        var parser = RESPParser(mode: .request)
        var buffer = ByteBuffer(string: "\r\n   \r\n*0\r\n*-1\r\nPING\r\n")
        let token = try #require(try parser.next(&buffer))
        #expect(RESPValue(token) == .array([.bulkString("PING")]))
        #expect(try parser.next(&buffer) == nil)
    }

    @Test func inlineCommandArrivingInPieces() throws {
        var parser = RESPParser(mode: .request)
        var buffer = ByteBuffer()
        for piece in ["SE", "T a", " b\r", "\nGET a\n"] {
            buffer.writeString(piece)
            if let token = try parser.next(&buffer) {
                #expect(RESPValue(token) == .array([.bulkString("SET"), .bulkString("a"), .bulkString("b")]))
            }
        }
        #expect(try parser.next(&buffer).map(RESPValue.init) == .array([.bulkString("GET"), .bulkString("a")]))
    }

    // MARK: - Limits

    @Test func bulkLengthLimit() throws {
        var limits = RESPParser.Limits()
        limits.maximumBulkLength = 10
        var parser = RESPParser(mode: .reply, limits: limits)
        var ok = ByteBuffer(string: "$10\r\n0123456789\r\n")
        #expect(try parser.next(&ok) != nil)
        var tooBig = ByteBuffer(string: "$11\r\n")
        #expect(throws: RESPParsingError(.invalidBulkLength)) { try parser.next(&tooBig) }
    }

    @Test func declaredLengthIsNotAllocatedAhead() throws {
        // 512 MB declared, 5 bytes present: the parser waits without reserving anything.
        var parser = RESPParser(mode: .reply)
        var buffer = ByteBuffer(string: "$536870912\r\nabc")
        let capacity = buffer.capacity
        #expect(try parser.next(&buffer) == nil)
        #expect(buffer.capacity == capacity)
        var overLimit = ByteBuffer(string: "$536870913\r\n")
        var fresh = RESPParser(mode: .reply)
        #expect(throws: RESPParsingError(.invalidBulkLength)) { try fresh.next(&overLimit) }
    }

    @Test func aggregateCountLimit() throws {
        var limits = RESPParser.Limits()
        limits.maximumAggregateCount = 3
        var parser = RESPParser(mode: .reply, limits: limits)
        var buffer = ByteBuffer(string: "*4\r\n")
        #expect(throws: RESPParsingError(.invalidAggregateCount)) { try parser.next(&buffer) }
        var map = ByteBuffer(string: "%4\r\n")
        var mapParser = RESPParser(mode: .reply, limits: limits)
        #expect(throws: RESPParsingError(.invalidAggregateCount)) { try mapParser.next(&map) }
    }

    @Test func nestingDepthLimit() throws {
        var limits = RESPParser.Limits()
        limits.maximumNestingDepth = 4
        var allowed = RESPParser(mode: .reply, limits: limits)
        var four = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(try allowed.next(&four) != nil)
        var denied = RESPParser(mode: .reply, limits: limits)
        var five = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RESPParsingError(.nestingTooDeep)) { try denied.next(&five) }
    }

    @Test func inlineLengthLimit() throws {
        var limits = RESPParser.Limits()
        limits.maximumInlineLength = 16
        var parser = RESPParser(mode: .request, limits: limits)
        var buffer = ByteBuffer(string: String(repeating: "a", count: 17))
        #expect(throws: RESPParsingError(.inlineRequestTooBig)) { try parser.next(&buffer) }
        var defaultParser = RESPParser(mode: .request)
        var huge = ByteBuffer(string: String(repeating: "a", count: 64 * 1024 + 1))
        #expect(throws: RESPParsingError(.inlineRequestTooBig)) { try defaultParser.next(&huge) }
        var header = ByteBuffer(string: "*" + String(repeating: "1", count: 64 * 1024 + 1))
        var headerParser = RESPParser(mode: .request)
        #expect(throws: RESPParsingError(.aggregateHeaderTooBig)) { try headerParser.next(&header) }
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: self.count, by: size).map { Array(self[$0..<Swift.min($0 + size, self.count)]) }
    }
}
