import NIOCore

@testable import RESPCodec

/// Wire-format fixtures shared by the parser, decoder and round-trip tests: one per type and shape.
enum RESPFixtures {
    static let replies: [(wire: String, value: RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("+\r\n", .simpleString("")),
        ("-ERR unknown command 'FOO'\r\n", .simpleError("ERR unknown command 'FOO'")),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":9223372036854775807\r\n", .integer(.max)),
        (":-9223372036854775808\r\n", .integer(.min)),
        ("$5\r\nhello\r\n", .bulkString("hello")),
        ("$0\r\n\r\n", .bulkString("")),
        ("$4\r\na\r\nb\r\n", .bulkString("a\r\nb")),
        ("$-1\r\n", .bulkString(nil)),
        ("*-1\r\n", .array(nil)),
        ("*0\r\n", .array([])),
        (
            "*3\r\n:1\r\n$3\r\nfoo\r\n*1\r\n+x\r\n",
            .array([.integer(1), .bulkString("foo"), .array([.simpleString("x")])])
        ),
        ("*2\r\n*0\r\n$-1\r\n", .array([.array([]), .bulkString(nil)])),
        ("_\r\n", .null),
        ("#t\r\n", .boolean(true)),
        ("#f\r\n", .boolean(false)),
        (",3.5\r\n", .double(3.5)),
        (",-0.25\r\n", .double(-0.25)),
        (",inf\r\n", .double(.infinity)),
        (",-inf\r\n", .double(-.infinity)),
        (",1e+20\r\n", .double(1e20)),
        (
            "(3492890328409238509324850943850943825024385\r\n",
            .bigNumber(ByteBuffer(string: "3492890328409238509324850943850943825024385"))
        ),
        ("(-1\r\n", .bigNumber(ByteBuffer(string: "-1"))),
        ("!21\r\nSYNTAX invalid syntax\r\n", .bulkError(ByteBuffer(string: "SYNTAX invalid syntax"))),
        ("=15\r\ntxt:Some string\r\n", .verbatimString(ByteBuffer(string: "txt:Some string"))),
        (
            "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
            .map([
                .init(key: .simpleString("first"), value: .integer(1)),
                .init(key: .simpleString("second"), value: .integer(2)),
            ])
        ),
        ("%0\r\n", .map([])),
        ("~3\r\n:1\r\n:2\r\n:1\r\n", .set([.integer(1), .integer(2), .integer(1)])),
        (
            "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*2\r\n:2039123\r\n:9543892\r\n",
            .attribute(
                [
                    .init(
                        key: .simpleString("key-popularity"),
                        value: .map([.init(key: .bulkString("a"), value: .double(0.1923))])
                    )
                ],
                .array([.integer(2_039_123), .integer(9_543_892)])
            )
        ),
        ("|0\r\n:7\r\n", .attribute([], .integer(7))),
        (
            ">3\r\n$7\r\nmessage\r\n$7\r\nchannel\r\n$5\r\nhello\r\n",
            .push([.bulkString("message"), .bulkString("channel"), .bulkString("hello")])
        ),
        (
            "*2\r\n%1\r\n~1\r\n_\r\n>1\r\n#t\r\n|1\r\n:1\r\n:2\r\n,2.5\r\n",
            .array([
                .map([.init(key: .set([.null]), value: .push([.boolean(true)]))]),
                .attribute([.init(key: .integer(1), value: .integer(2))], .double(2.5)),
            ])
        ),
    ]

    static let requests: [(wire: String, arguments: [String])] = [
        ("*1\r\n$4\r\nPING\r\n", ["PING"]),
        ("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", ["SET", "key", "value"]),
        ("*2\r\n$3\r\nGET\r\n$0\r\n\r\n", ["GET", ""]),
        ("PING\r\n", ["PING"]),
        ("PING\n", ["PING"]),
        ("  set   key  value \r\n", ["set", "key", "value"]),
        ("SET k \"hello world\"\r\n", ["SET", "k", "hello world"]),
        ("SET k \"a\\x41\\n\\\"\"\r\n", ["SET", "k", "aA\n\""]),
        ("SET k 'it\\'s'\r\n", ["SET", "k", "it's"]),
        ("SET k \"\"\r\n", ["SET", "k", ""]),
    ]

    static func buffer(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }
}
