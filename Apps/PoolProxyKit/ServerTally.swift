/// One event loop's counts for one server. Only that loop touches it, so the request path adds to plain
/// integers; the stats and metrics endpoints copy every loop's ``counts`` and add them up.
final class ServerTally {
    var counts = ServerCounts()
}
