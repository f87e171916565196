#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex: `Synchronization.Mutex`'s `withLock`, on a lock that ThreadSanitizer sees.
///
/// On Linux, `Mutex` hands a contended lock over inside the kernel (a priority-inheriting futex), where
/// ThreadSanitizer cannot observe it, so it reports every access the lock guards as a race and hides the real ones
/// among them. A pthread mutex costs the same when uncontended, and ThreadSanitizer intercepts it.
///
/// ```swift
/// let counter = LockedValue(0)
/// let next = counter.withLock { value in
///     value += 1
///     return value
/// }
/// ```
@usableFromInline
package final class LockedValue<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    package init(_ value: sending Value) {
        self.value = value
        self.mutex = .allocate(capacity: 1)
        let status = pthread_mutex_init(self.mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed with \(status)")
    }

    deinit {
        pthread_mutex_destroy(self.mutex)
        self.mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    @inlinable
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        return try body(&self.value)
    }
}
