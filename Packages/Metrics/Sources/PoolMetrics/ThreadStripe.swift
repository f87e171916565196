import Synchronization

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A small integer fixed per thread, handed out in order, so the first N threads land on N different shards.
enum ThreadStripe {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    private static let nextStripe = Atomic<Int>(1)

    /// The calling thread's stripe, at least 1 (0 in thread-specific storage means "not assigned yet").
    @inline(__always)
    static func current() -> Int {
        let key = Self.key
        if let stored = pthread_getspecific(key) {
            return Int(bitPattern: stored)
        }
        return Self.assign(key)
    }

    @inline(never)
    private static func assign(_ key: pthread_key_t) -> Int {
        let stripe = Self.nextStripe.wrappingAdd(1, ordering: .relaxed).oldValue
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: stripe))
        return stripe
    }
}
