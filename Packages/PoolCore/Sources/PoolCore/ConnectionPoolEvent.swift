/// A state change of a ``ConnectionPool``, delivered to its ``ConnectionPoolObserver``.
///
/// ```swift
/// switch event {
/// case .connectionClosed(_, let reason): closedCounter[reason].increment()
/// case .leaseAcquired(_, let waited): waitHistogram.record(waited)
/// default: break
/// }
/// ```
public enum ConnectionPoolEvent<ConnectionID: Hashable & Sendable>: Sendable {
    /// A dial began.
    case dialStarted(ConnectionDialReason)
    /// A dial succeeded and the connection joined the pool.
    case connectionOpened(ConnectionID)
    /// A dial failed; `consecutiveFailures` counts failures since the last success.
    case dialFailed(any Error, consecutiveFailures: Int)
    /// Too many dials failed in a row: acquires now fail fast while one retrier probes.
    case failFastStarted(consecutiveFailures: Int)
    /// A dial succeeded again after failing fast.
    case failFastRecovered
    /// The pool closed a connection.
    case connectionClosed(ConnectionID, ConnectionCloseReason)
    /// A lease was handed out; `waited` is zero when a connection was free at once.
    case leaseAcquired(ConnectionID, waited: Duration)
    /// A lease came back after being held for `heldFor`.
    case leaseReleased(ConnectionID, heldFor: Duration)
    /// An acquire joined the wait queue, which now holds `depth` waiters.
    case waiterQueued(depth: Int)
    /// An acquire gave up after `waited`.
    case acquireTimedOut(waited: Duration)
    /// A waiting acquire's task was cancelled.
    case acquireCancelled
    /// A lease has been held for `age`, longer than ``ConnectionPoolConfiguration/leakWarningThreshold``.
    case leakSuspected(ConnectionID, age: Duration)
    /// An idle connection began a keep-alive round trip; it is not lent until it ends.
    case keepAliveStarted(ConnectionID)
    /// A keep-alive round trip succeeded; the connection is idle again.
    case keepAliveSucceeded(ConnectionID)
    /// A keep-alive round trip failed; the connection is closed.
    case keepAliveFailed(ConnectionID, any Error)
    /// A graceful drain began.
    case drainStarted
    /// Every connection is closed; the pool is finished.
    case poolClosed
}
