import Testing

@testable import LoadBalancer

@Suite struct TwemproxyHashTagTests {
    static func part(_ tag: String, _ key: String) -> String {
        String(decoding: TwemproxyHashTag(tag)!.hashedPart(of: Array(key.utf8)), as: UTF8.self)
    }

    @Test func theTaggedPartIsHashed() {
        #expect(Self.part("{}", "user:{42}:cart") == "42")
        #expect(Self.part("{}", "{a}{b}") == "a")
        #expect(Self.part("$$", "x$inner$y") == "inner")
    }

    @Test func emptyOrUnclosedTagsHashTheWholeKey() {
        #expect(Self.part("{}", "{}user") == "{}user")
        #expect(Self.part("{}", "user{42") == "user{42")
        #expect(Self.part("{}", "plain") == "plain")
    }

    @Test func rawBytesGiveTheSamePart() {
        let tag = TwemproxyHashTag("{}")!
        for key in ["user:{42}:cart", "{}user", "user{42", "a{b}c{d}"] {
            let bytes = Array(key.utf8)
            let raw = bytes.withUnsafeBytes { Array(tag.hashedPart(of: $0)) }
            #expect(raw == Array(tag.hashedPart(of: bytes)))
        }
    }

    @Test func aTagIsExactlyTwoCharacters() {
        #expect(TwemproxyHashTag("{") == nil)
        #expect(TwemproxyHashTag("{}}") == nil)
        #expect(TwemproxyHashTag("{}")?.opening == UInt8(ascii: "{"))
    }
}
