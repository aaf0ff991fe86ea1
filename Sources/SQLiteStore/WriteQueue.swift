import Glibc

/// Group commit: the writes that arrive while one is running wait together, and the next of them
/// to get the writer runs all of them in one transaction.
///
/// A transaction has fixed costs whatever it holds: the commit itself (every page it changed goes
/// to the WAL, one frame each, even a page two writes share) and the work a schema defers to the
/// commit (`DatabasePool.beforeEachCommit`, the full-text indexes here). Under concurrent writes
/// those costs are shared by the whole group. One write waiting alone is a group of one: it runs
/// as it would without the queue.
///
/// There is no leader thread: the caller that finds no group running leads the next one, on its
/// own thread, and the others wait until their group is over.
final class WriteQueue: @unchecked Sendable {
    // @unchecked: `waiting`, `leader` and each job's `isDone` are guarded by `lock`; a job's other
    // state is written by the leader while its owner waits, and read by the owner after `isDone`
    // (the lock orders the two).

    /// One caller's write, waiting for a group.
    final class Job {
        /// Runs the caller's body on the writer; stores its own result.
        let run: (Database) throws -> Void
        /// Why the write did not happen (its body threw, or its group did not commit).
        var error: (any Error)?
        fileprivate var isDone = false

        init(_ run: @escaping (Database) throws -> Void) {
            self.run = run
        }
    }

    /// The most writes one group holds.
    let maxGroupSize: Int
    private let lock = ConditionLock()
    private var waiting: [Job] = []
    /// The thread leading a group, if one is running.
    private var leader: pthread_t?

    init(maxGroupSize: Int) {
        precondition(maxGroupSize >= 1, "a group holds at least one write")
        self.maxGroupSize = maxGroupSize
    }

    /// Writes waiting for a group (not counting a group running).
    var waitingCount: Int { lock.withLock { waiting.count } }

    /// Queues `job` and returns when its group is over (committed or not): either this thread led
    /// the group, running `runGroup` with the jobs waiting (its own among them), or another did.
    func submit(_ job: Job, runGroup: ([Job]) -> Void) {
        lock.lock()
        if let leader {
            // A write inside a write would wait for itself.
            precondition(pthread_equal(leader, pthread_self()) == 0, "a write nested inside a write")
        }
        waiting.append(job)
        while !job.isDone {
            guard leader == nil else {
                lock.wait()
                continue
            }
            leader = pthread_self()
            let group = Array(waiting.prefix(maxGroupSize))
            waiting.removeFirst(group.count)
            lock.unlock()
            runGroup(group)
            lock.lock()
            for member in group {
                member.isDone = true
            }
            leader = nil
            lock.broadcast()
        }
        lock.unlock()
    }
}
