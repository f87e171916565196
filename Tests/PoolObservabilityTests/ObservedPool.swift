import PoolCore
import PoolCoreTestKit
import PoolObservability

/// Feeds the metrics observer first and the recorder second, so once a test has awaited an event on the
/// recorder the metrics already include it.
struct ObservedPool: ConnectionPoolObserver {
    let metrics: PoolMetricsObserver<Int>
    let recorder = RecordingObserver()

    func connectionPool(didEmit event: ConnectionPoolEvent<Int>) {
        self.metrics.connectionPool(didEmit: event)
        self.recorder.connectionPool(didEmit: event)
    }

    func waitFor(count: Int = 1, _ name: String) async {
        await self.recorder.waitFor(count: count) { String(describing: $0).hasPrefix(name) }
    }
}
