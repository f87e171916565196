/// How the replies of a request split across servers become the one reply the client expects.
enum ReplyMergeKind: Sendable, Hashable {
    /// MGET: each part is an array for some of the keys; `positions[part][i]` is where its `i`th element goes.
    case arrayByPosition(positions: [[Int]], count: Int)
    /// DEL, UNLINK, EXISTS, TOUCH, DBSIZE: the integers add up.
    case sumOfIntegers
    /// MSET, FLUSHALL, FLUSHDB: `+OK` when every part says so.
    case allOK
    /// KEYS: the arrays are joined, in server order.
    case concatenatedArrays
    /// SCAN on one server: the reply's cursor is rewritten to say which server to continue on.
    case scan(server: Int, serverCount: Int)
    /// INFO: the servers' reports merged by ``InfoMerger``, after the proxy's own section when there is one.
    case info(proxySection: String?)
}
