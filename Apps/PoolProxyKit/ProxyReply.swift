import NIOCore

/// Replies the proxy writes itself, with Redis's wording where Redis has one and the `pool-proxy:` prefix where
/// the proxy explains its own decision.
enum ProxyReply {
    static let ok = ByteBuffer(string: "+OK\r\n")
    static let pong = ByteBuffer(string: "+PONG\r\n")
    static let noAuthentication = ByteBuffer(string: "-NOAUTH Authentication required.\r\n")
    static let noAuthenticationForHello = ByteBuffer(
        string: "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> "
            + "AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version "
            + "at the same time\r\n"
    )
    static let queued = ByteBuffer(string: "+QUEUED\r\n")
    static let emptyArray = ByteBuffer(string: "*0\r\n")
    static let multiCommand = ByteBuffer(string: "*1\r\n$5\r\nMULTI\r\n")
    static let crossSlot = ByteBuffer(string: "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
    static let wrongPassword = ByteBuffer(
        string: "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
    )

    static func error(_ message: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(message.utf8.count + 3)
        buffer.writeStaticString("-")
        // A reply line must not carry CR or LF, whatever a backend's or a user's text holds.
        for byte in message.utf8 { buffer.writeInteger(byte == 13 || byte == 10 ? UInt8(ascii: " ") : byte) }
        buffer.writeStaticString("\r\n")
        return buffer
    }

    static func proxyError(_ message: String) -> ByteBuffer {
        Self.error("ERR pool-proxy: \(message)")
    }

    static func integer(_ value: Int64) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(":\(value)\r\n")
        return buffer
    }

    static func bulkString(_ bytes: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(bytes.readableBytes + 16)
        buffer.writeString("$\(bytes.readableBytes)\r\n")
        buffer.writeImmutableBuffer(bytes)
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// Redis's reply to a command it does not know, including its quoting of the first arguments.
    static func unknownCommand(_ arguments: [ByteBuffer]) -> ByteBuffer {
        let name = arguments.first.map { String(buffer: $0) } ?? ""
        let rest = arguments.dropFirst().prefix(Self.maximumQuotedArguments).map { "'\(String(buffer: $0))' " }
        return Self.error("ERR unknown command '\(name)', with args beginning with: \(rest.joined())")
    }

    static func wrongArity(_ name: String) -> ByteBuffer {
        Self.error("ERR wrong number of arguments for '\(name)' command")
    }

    private static let maximumQuotedArguments = 20
}
