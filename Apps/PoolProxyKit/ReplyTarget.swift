/// Where a backend reply goes, decided when the request was written.
enum ReplyTarget {
    /// The whole reply to one of a client's requests.
    case client(ClientSession, sequence: UInt64)
    /// One part of a split request.
    case fragment(ClientSession, sequence: UInt64, part: Int)
    /// A reply to the proxy's own connection set-up (AUTH, SELECT); an error fails the connection.
    case handshake(command: String)
    /// A reply nobody reads: the `ASKING` sent before a request redirected with `-ASK`.
    case discard
}
