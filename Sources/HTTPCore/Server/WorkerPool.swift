#if canImport(Glibc)
    import Glibc
#endif

/// A fixed set of threads running submitted jobs in order of submission.
///
/// Handlers block (SQLite, streamed writes to slow clients), so they never run on an I/O
/// queue; and the thread count is fixed so that many slow handlers queue up instead of
/// making Dispatch spawn a thread each.
///
/// Idle threads wait on their own condition and are woken last-in, first-out: under a load
/// that needs two threads, the same two warm threads take every job and the rest stay asleep,
/// instead of every thread waking in turn and preempting the others on a small machine.
final class WorkerPool: @unchecked Sendable {
    // `jobs`, `head`, `idle`, `wakeups` and `stopping` are guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var idle: [Int] = []
    private var wakeups: [Bool]
    private var stopping = false
    private var running: Int
    let threadCount: Int

    init(threads: Int) {
        threadCount = max(1, threads)
        running = threadCount
        pthread_mutex_init(mutex, nil)
        conditions = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: threadCount)
        for index in 0..<threadCount { pthread_cond_init(conditions + index, nil) }
        wakeups = [Bool](repeating: false, count: threadCount)
        idle.reserveCapacity(threadCount)
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
                    context.pool.run(index: context.index)
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
        if let worker = idle.popLast() {
            wakeups[worker] = true
            pthread_cond_signal(conditions + worker)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Jobs waiting for a thread.
    var backlog: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return jobs.count - head
    }

    /// Lets the threads finish queued jobs and exit.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        for worker in idle {
            wakeups[worker] = true
            pthread_cond_signal(conditions + worker)
        }
        idle.removeAll()
        pthread_mutex_unlock(mutex)
    }

    private func run(index: Int) {
        while let job = take(index: index) {
            job()
        }
    }

    private func take(index: Int) -> (@Sendable () -> Void)? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count {
            if stopping {
                running -= 1
                return nil
            }
            idle.append(index)
            wakeups[index] = false
            while !wakeups[index] {
                pthread_cond_wait(conditions + index, mutex)
            }
        }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
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
