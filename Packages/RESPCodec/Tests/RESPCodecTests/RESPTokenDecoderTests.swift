import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import RESPCodec

@Suite struct RESPTokenDecoderTests {
    /// Every fixture, fed to the decoder in every possible split, must come out as the same tokens.
    @Test func everyByteSplitOfEveryReplyFixture() throws {
        let pairs = RESPFixtures.replies.map { fixture in
            (ByteBuffer(string: fixture.wire), [RESPToken(fixture.value)])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            RESPTokenDecoder(mode: .reply)
        }
    }

    @Test func everyByteSplitOfEveryRequestFixture() throws {
        let pairs = RESPFixtures.requests.map { fixture in
            var canonical = ByteBuffer()
            canonical.writeRESPCommand(fixture.arguments)
            return (ByteBuffer(string: fixture.wire), [try! RESPToken(validating: canonical)!])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            RESPTokenDecoder(mode: .request)
        }
    }

    @Test func everyByteSplitOfAPipeline() throws {
        let wire = RESPFixtures.replies.map(\.wire).joined()
        let tokens = RESPFixtures.replies.map { RESPToken($0.value) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(ByteBuffer(string: wire), tokens)]) {
            RESPTokenDecoder(mode: .reply)
        }
    }

    @Test func channelPipelineDecodesAndEncodes() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPTokenDecoder(mode: .request)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(RESPValueEncoder()))

        try channel.writeInbound(ByteBuffer(string: "*1\r\n$4\r\nPI"))
        #expect(try channel.readInbound(as: RESPToken.self) == nil)
        try channel.writeInbound(ByteBuffer(string: "NG\r\nECHO hi\r\n"))
        let ping = try #require(try channel.readInbound(as: RESPToken.self))
        #expect(RESPValue(ping) == .array([.bulkString("PING")]))
        let echo = try #require(try channel.readInbound(as: RESPToken.self))
        #expect(RESPValue(echo) == .array([.bulkString("ECHO"), .bulkString("hi")]))

        try channel.writeOutbound(RESPValue.simpleString("PONG"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "+PONG\r\n"))
        #expect(try channel.finish().isClean)
    }

    @Test func malformedInputFailsThePipelineWithRedisText() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPTokenDecoder(mode: .request)))
        #expect(throws: RESPParsingError(.unexpectedRequestElement(UInt8(ascii: "f")))) {
            try channel.writeInbound(ByteBuffer(string: "*1\r\nfoo\r\n"))
        }
        _ = try? channel.finish()
    }

    @Test func tokenEncoderForwardsBytesUnchanged() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(RESPTokenEncoder()))
        let token = try #require(try RESPToken(validating: ByteBuffer(string: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")))
        try channel.writeOutbound(token)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == token.base)
        #expect(try channel.finish().isClean)
    }
}
