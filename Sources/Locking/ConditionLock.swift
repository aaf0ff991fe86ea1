#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pthread mutex with one condition variable, for threads that must sleep until state changes:
/// the pool's blocking hand-out of connections, the write queue, streamed-body backpressure.
///
/// `Synchronization.Mutex` has no condition variable, and its `sending` closures do not fit
/// non-`Sendable` state that stays inside its owner. Every pthread call's result is checked: a
/// failure means a programmer error (a destroyed or foreign lock), never something input causes.
package final class ConditionLock: @unchecked Sendable {
    // @unchecked: the pthread objects are themselves the synchronization; the pointers never change.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    /// - Parameter errorChecking: Use `PTHREAD_MUTEX_ERRORCHECK`, so that re-locking from the owning
    ///   thread is reported (and trapped on) instead of deadlocking silently.
    package init(errorChecking: Bool = false) {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        var mutexAttributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&mutexAttributes)
        if errorChecking {
            pthread_mutexattr_settype(&mutexAttributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        }
        let mutexResult = pthread_mutex_init(mutex, &mutexAttributes)
        pthread_mutexattr_destroy(&mutexAttributes)
        precondition(mutexResult == 0, "pthread_mutex_init failed: \(mutexResult)")

        var conditionAttributes = pthread_condattr_t()
        pthread_condattr_init(&conditionAttributes)
        #if os(Linux)
            // Timed waits take monotonic deadlines, so a wall-clock step cannot stretch or cut them.
            pthread_condattr_setclock(&conditionAttributes, CLOCK_MONOTONIC)
        #endif
        let conditionResult = pthread_cond_init(condition, &conditionAttributes)
        pthread_condattr_destroy(&conditionAttributes)
        precondition(conditionResult == 0, "pthread_cond_init failed: \(conditionResult)")
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Takes the lock.
    package func lock() {
        let result = pthread_mutex_lock(mutex)
        // EDEADLK: the calling thread already holds the lock, e.g. DatabasePool.write inside write.
        precondition(result != EDEADLK, "lock is already held by this thread; nested use would deadlock")
        precondition(result == 0, "pthread_mutex_lock failed: \(result)")
    }

    /// Releases the lock.
    package func unlock() {
        let result = pthread_mutex_unlock(mutex)
        precondition(result == 0, "pthread_mutex_unlock failed: \(result)")
    }

    /// Runs `body` with the lock held.
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; the lock must be held, and is held again on return.
    /// Spurious wake-ups happen: loop on the predicate.
    package func wait() {
        let result = pthread_cond_wait(condition, mutex)
        precondition(result == 0, "pthread_cond_wait failed: \(result)")
    }

    /// Waits for a signal or until the monotonic `deadline` (nanoseconds); the lock must be held,
    /// and is held again on return.
    package func wait(untilNanoseconds deadline: UInt64) {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        let result = pthread_cond_timedwait(condition, mutex, &time)
        precondition(result == 0 || result == ETIMEDOUT, "pthread_cond_timedwait failed: \(result)")
    }

    /// Wakes one waiter.
    package func signal() {
        let result = pthread_cond_signal(condition)
        precondition(result == 0, "pthread_cond_signal failed: \(result)")
    }

    /// Wakes every waiter.
    package func broadcast() {
        let result = pthread_cond_broadcast(condition)
        precondition(result == 0, "pthread_cond_broadcast failed: \(result)")
    }
}
