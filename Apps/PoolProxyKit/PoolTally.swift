/// One event loop's counts for one pool; see ``ServerTally``.
final class PoolTally {
    var counts = PoolCounts()
}
