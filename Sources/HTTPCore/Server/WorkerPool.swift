import DequeModule

#if canImport(Glibc)
    import Glibc
#endif

/// A fixed set of threads running submitted jobs in order of submission, at most `runLimit` at a
/// time apart from jobs that wait (``waiting(_:)``).
///
/// Handlers block (SQLite, streamed writes to slow clients), so they never run on an I/O
/// queue; and the thread count is fixed so that many slow handlers queue up instead of
/// making Dispatch spawn a thread each.
///
/// A job that waits for something other than a CPU — its turn at the database writer — gives its
/// place to the next job meanwhile (``waiting(_:)``), on one of the spare threads: more requests
/// then reach the writer together and share its commit, while CPU-bound jobs still run no more
/// than `runLimit` at a time (more runnable threads than CPUs only add switches and tail latency).
///
/// Idle threads wait on their own condition and are woken last-in, first-out: under a load
/// that needs two threads, the same two warm threads take every job and the rest stay asleep,
/// instead of every thread waking in turn and preempting the others on a small machine.
final class WorkerPool: @unchecked Sendable {
    // `jobs`, `idle`, `idleSpares`, `blocked`, `wakeups`, `running`, `active` and
    // `stopping` are guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private var jobs: Deque<@Sendable () -> Void> = []
    /// Idle threads among the first `runLimit`, and among the spares. A spare runs a job only while
    /// another job waits, so that a load without waits keeps to the same few warm threads (spares
    /// taking ordinary jobs in turn cost a fifth of GET throughput and a third more p99).
    private var idle: [Int] = []
    private var idleSpares: [Int] = []
    /// Jobs inside ``waiting(_:)``.
    private var blocked = 0
    private var wakeups: [Bool]
    private var stopping = false
    private var running: Int
    /// Jobs running and not waiting.
    private var active = 0
    let threadCount: Int
    /// The most jobs that run at a time, not counting those waiting.
    let runLimit: Int

    /// - Parameters:
    ///   - threads: The jobs that run at a time (`runLimit`).
    ///   - spareThreads: Further threads, for the jobs that start while others wait.
    init(threads: Int, spareThreads: Int = 0) {
        runLimit = max(1, threads)
        threadCount = runLimit + max(0, spareThreads)
        running = threadCount
        pthread_mutex_init(mutex, nil)
        conditions = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: threadCount)
        for index in 0..<threadCount { pthread_cond_init(conditions + index, nil) }
        wakeups = [Bool](repeating: false, count: threadCount)
        idle.reserveCapacity(runLimit)
        idleSpares.reserveCapacity(threadCount - runLimit)
        for index in 0..<threadCount {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            pthread_attr_setstacksize(&attributes, 4 * 1024 * 1024)
            let status = pthread_create(
                &thread, &attributes,
                { raw in
                    let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                    pthread_setspecific(WorkerPool.currentKey, raw)
                    context.pool.run(index: context.index)
                    pthread_setspecific(WorkerPool.currentKey, nil)
                    return nil
                }, context)
            pthread_attr_destroy(&attributes)
            precondition(status == 0, "pthread_create failed: \(status)")
            pthread_detach(thread)
        }
    }

    deinit {
        for index in 0..<threadCount { pthread_cond_destroy(conditions + index) }
        conditions.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Queues `job` for the next free thread.
    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        let worker = wakeOneIfRoom()
        pthread_mutex_unlock(mutex)
        signal(worker)
    }

    /// Jobs waiting for a thread.
    var backlog: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return jobs.count
    }

    /// Lets the threads finish queued jobs and exit.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        wakeAllIdle()
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body`, a wait, with the calling job not counted against `runLimit` meanwhile (see
    /// the type's comment). On a thread that is not a pool's, it just runs `body`.
    static func waiting<T>(_ body: () throws -> T) rethrows -> T {
        guard let raw = pthread_getspecific(currentKey) else { return try body() }
        let pool = Unmanaged<WorkerContext>.fromOpaque(raw).takeUnretainedValue().pool
        pool.changeActive(by: -1)
        defer { pool.changeActive(by: 1) }
        return try body()
    }

    /// The `WorkerContext` of the pool thread running, if any.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    private func changeActive(by change: Int) {
        pthread_mutex_lock(mutex)
        active += change
        blocked -= change
        // Back from a wait, a job may run beyond the limit for a moment: it is already started.
        let worker = change < 0 ? wakeOneIfRoom() : nil
        pthread_mutex_unlock(mutex)
        signal(worker)
    }

    /// Chooses the idle thread that slept last to take a job, if a job waits and the limit
    /// leaves room; ``signal(_:)`` wakes it once `mutex` is released.
    private func wakeOneIfRoom() -> Int? {
        guard !jobs.isEmpty, active < runLimit,
            let worker = idle.popLast() ?? (blocked > 0 ? idleSpares.popLast() : nil)
        else { return nil }
        wakeups[worker] = true
        return worker
    }

    /// Wakes `worker`, chosen by ``wakeOneIfRoom()``. Called after `mutex` is released: a thread
    /// woken while the signaller holds it would find it taken and sleep again at once.
    private func signal(_ worker: Int?) {
        guard let worker else { return }
        pthread_cond_signal(conditions + worker)
    }

    private func wakeAllIdle() {
        for worker in idle + idleSpares {
            wakeups[worker] = true
            pthread_cond_signal(conditions + worker)
        }
        idle.removeAll()
        idleSpares.removeAll()
    }

    private func run(index: Int) {
        var finished = false
        while let job = take(index: index, finished: finished) {
            job()
            finished = true
        }
    }

    /// The next job for thread `index`, once the limit leaves room; nil when the pool stops.
    /// - Parameter finished: whether the thread has just finished a job (which leaves room).
    private func take(index: Int, finished: Bool) -> (@Sendable () -> Void)? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if finished { active -= 1 }
        while jobs.isEmpty || active >= runLimit || (index >= runLimit && blocked == 0) {
            if stopping && (jobs.isEmpty || index >= runLimit) {
                running -= 1
                // Threads that went back to sleep while the last jobs ran must exit too.
                wakeAllIdle()
                return nil
            }
            if index < runLimit { idle.append(index) } else { idleSpares.append(index) }
            wakeups[index] = false
            while !wakeups[index] {
                pthread_cond_wait(conditions + index, mutex)
            }
        }
        active += 1
        return jobs.removeFirst()
    }
}

private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) {
        self.pool = pool
        self.index = index
    }
}
