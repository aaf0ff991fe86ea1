#if canImport(Glibc)
import Glibc
#endif

/// A fixed set of threads running submitted jobs in order of submission.
///
/// Handlers block (SQLite, streamed writes to slow clients), so they never run on an I/O
/// queue; and the thread count is fixed so that many slow handlers queue up instead of
/// making Dispatch spawn a thread each.
final class WorkerPool: @unchecked Sendable {
    // `jobs`, `head` and `stopping` are guarded by `lock`.
    private let lock = ConditionLock()
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var stopping = false
    private var idleThreads = 0
    let threadCount: Int

    init(threads: Int) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            pthread_attr_setstacksize(&attributes, 4 * 1024 * 1024)
            let status = pthread_create(&thread, &attributes, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.run()
                return nil
            }, context)
            pthread_attr_destroy(&attributes)
            precondition(status == 0, "pthread_create failed: \(status)")
            pthread_detach(thread)
        }
    }

    /// Queues `job` for the next free thread.
    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.withLock {
            jobs.append(job)
            if idleThreads > 0 { lock.signal() }
        }
    }

    /// Jobs waiting for a thread.
    var backlog: Int { lock.withLock { jobs.count - head } }

    /// Lets the threads finish queued jobs and exit.
    func stop() {
        lock.withLock {
            stopping = true
            lock.broadcast()
        }
    }

    private func run() {
        while let job = take() {
            job()
        }
    }

    private func take() -> (@Sendable () -> Void)? {
        lock.withLock {
            while head == jobs.count {
                if stopping { return nil }
                idleThreads += 1
                lock.wait()
                idleThreads -= 1
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
}

private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) {
        self.pool = pool
        self.index = index
    }
}
