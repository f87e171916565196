/// SCAN across a sharded pool: the client's cursor says both which server to scan and that server's own cursor,
/// as `backendCursor * serverCount + server`. Cursor 0 starts at server 0, and the reply's cursor is 0 only after
/// the last server is done, so an unmodified SCAN loop visits every key of every server.
enum ScanCursor {
    /// The client-facing cursor, or nil when it would not fit in 64 bits.
    static func encode(backend: UInt64, server: Int, serverCount: Int) -> UInt64? {
        let (product, overflow) = backend.multipliedReportingOverflow(by: UInt64(serverCount))
        guard !overflow else { return nil }
        let (sum, carry) = product.addingReportingOverflow(UInt64(server))
        return carry ? nil : sum
    }

    /// The server and its cursor for a client cursor.
    static func decode(_ cursor: UInt64, serverCount: Int) -> (server: Int, backend: UInt64) {
        (Int(cursor % UInt64(serverCount)), cursor / UInt64(serverCount))
    }
}
