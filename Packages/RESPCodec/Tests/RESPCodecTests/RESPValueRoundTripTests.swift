import NIOCore
import Testing

@testable import RESPCodec

@Suite struct RESPValueRoundTripTests {
    @Test(arguments: RESPFixtures.replies.indices)
    func everyTypeEncodesToItsWireFormAndParsesBack(index: Int) throws {
        let (wire, value) = RESPFixtures.replies[index]
        var encoded = ByteBuffer()
        let written = encoded.writeRESPValue(value)
        #expect(String(buffer: encoded) == wire)
        #expect(written == wire.utf8.count)

        var parser = RESPParser(mode: .reply)
        var input = ByteBuffer(string: wire)
        let token = try #require(try parser.next(&input))
        #expect(input.readableBytes == 0)
        #expect(token.base == ByteBuffer(string: wire))
        #expect(RESPValue(token) == value)
        #expect(RESPToken(value) == token)
        #expect(token.typeIdentifier == value.typeIdentifier)
    }

    @Test func nanSurvivesTheRoundTrip() throws {
        let token = try #require(try RESPToken(validating: ByteBuffer(string: ",nan\r\n")))
        guard case .double(let number) = RESPValue(token) else {
            Issue.record("expected a double")
            return
        }
        #expect(number.isNaN)
        var encoded = ByteBuffer()
        encoded.writeRESPValue(.double(.nan))
        #expect(String(buffer: encoded) == ",nan\r\n")
    }

    @Test func randomValuesRoundTrip() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let value = RandomRESPValue.make(depth: 3, using: &generator)
            var encoded = ByteBuffer()
            encoded.writeRESPValue(value)
            var parser = RESPParser(mode: .reply)
            let token = try #require(try parser.next(&encoded))
            #expect(encoded.readableBytes == 0)
            #expect(RESPValue(token) == value)
        }
    }
}

/// A small deterministic generator for reproducible random tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomRESPValue {
    static func bytes(using generator: inout SeededGenerator, printable: Bool) -> ByteBuffer {
        let length = Int.random(in: 0..<24, using: &generator)
        let range: ClosedRange<UInt8> = printable ? 0x20...0x7E : 0...255
        return ByteBuffer(bytes: (0..<length).map { _ in UInt8.random(in: range, using: &generator) })
    }

    static func make(depth: Int, using generator: inout SeededGenerator) -> RESPValue {
        let choice = Int.random(in: 0..<(depth > 0 ? 15 : 10), using: &generator)
        switch choice {
        case 0: return .simpleString(Self.bytes(using: &generator, printable: true))
        case 1: return .simpleError(Self.bytes(using: &generator, printable: true))
        case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
        case 3: return .bulkString(Self.bytes(using: &generator, printable: false))
        case 4: return .bulkString(nil)
        case 5: return .null
        case 6: return .boolean(Bool.random(using: &generator))
        case 7: return .double(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 64)
        case 8: return .bulkError(Self.bytes(using: &generator, printable: false))
        case 9: return .verbatimString(ByteBuffer(string: "txt:") + Self.bytes(using: &generator, printable: false))
        case 10: return .array(Self.list(depth: depth, using: &generator))
        case 11: return .set(Self.list(depth: depth, using: &generator))
        case 12: return .push(Self.list(depth: depth, using: &generator))
        case 13: return .map(Self.entries(depth: depth, using: &generator))
        default:
            return .attribute(Self.entries(depth: depth, using: &generator), Self.make(depth: 0, using: &generator))
        }
    }

    static func list(depth: Int, using generator: inout SeededGenerator) -> [RESPValue] {
        (0..<Int.random(in: 0..<5, using: &generator)).map { _ in Self.make(depth: depth - 1, using: &generator) }
    }

    static func entries(depth: Int, using generator: inout SeededGenerator) -> [RESPValue.MapEntry] {
        (0..<Int.random(in: 0..<4, using: &generator)).map { _ in
            RESPValue.MapEntry(
                key: Self.make(depth: depth - 1, using: &generator),
                value: Self.make(depth: depth - 1, using: &generator)
            )
        }
    }
}

extension ByteBuffer {
    fileprivate static func + (lhs: ByteBuffer, rhs: ByteBuffer) -> ByteBuffer {
        var result = lhs
        var copy = rhs
        result.writeBuffer(&copy)
        return result
    }
}
