#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pthread mutex with a condition variable, for the pool's blocking hand-out of connections.
///
/// `Synchronization.Mutex` has no condition variable, and its `sending` closures do not fit
/// non-`Sendable` connections that stay inside the pool.
final class ConditionLock: @unchecked Sendable {
    // @unchecked: the pthread objects are themselves the synchronization; the pointers never change.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    /// - Parameter errorChecking: Use `PTHREAD_MUTEX_ERRORCHECK`, so that re-locking from the owning
    ///   thread is reported (and trapped on) instead of deadlocking silently.
    init(errorChecking: Bool = false) {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        if errorChecking {
            pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        }
        let mutexResult = pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        precondition(mutexResult == 0, "pthread_mutex_init failed: \(mutexResult)")
        let conditionResult = pthread_cond_init(condition, nil)
        precondition(conditionResult == 0, "pthread_cond_init failed: \(conditionResult)")
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() {
        let result = pthread_mutex_lock(mutex)
        // EDEADLK: the calling thread already holds the lock, e.g. DatabasePool.write inside write.
        precondition(result != EDEADLK, "lock is already held by this thread; nested use would deadlock")
        precondition(result == 0, "pthread_mutex_lock failed: \(result)")
    }

    func unlock() {
        let result = pthread_mutex_unlock(mutex)
        precondition(result == 0, "pthread_mutex_unlock failed: \(result)")
    }

    /// Waits for a signal; the lock must be held, and is held again on return.
    func wait() {
        let result = pthread_cond_wait(condition, mutex)
        precondition(result == 0, "pthread_cond_wait failed: \(result)")
    }

    /// Wakes one waiter.
    func signal() {
        pthread_cond_signal(condition)
    }

    /// Wakes every waiter.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
