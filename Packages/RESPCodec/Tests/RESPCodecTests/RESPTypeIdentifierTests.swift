import Testing

@testable import RESPCodec

@Suite struct RESPTypeIdentifierTests {
    @Test func rawValuesAreTheWireBytes() {
        let bytes = RESPTypeIdentifier.allCases.map { Character(UnicodeScalar($0.rawValue)) }
        #expect(String(bytes) == "+-:$*_#,(!=%~|>")
    }

    @Test func classification() {
        #expect(RESPTypeIdentifier.allCases.filter(\.isAggregate) == [.array, .map, .set, .attribute, .push])
        #expect(RESPTypeIdentifier.allCases.filter(\.isBlob) == [.bulkString, .bulkError, .verbatimString])
        #expect(
            RESPTypeIdentifier.allCases.filter { !$0.isRESP3 } == [
                .simpleString, .simpleError, .integer, .bulkString, .array,
            ]
        )
    }
}
