import DequeModule
import Dispatch
import Glibc
import Locking
import Storage

/// Group commit: the writes that arrive while one is running wait together, and the next of them
/// to get the writer runs all of them in one transaction.
///
/// A transaction has fixed costs whatever it holds: the commit itself (every page it changed goes
/// to the WAL, one frame each, even a page two writes share) and the work a schema defers to the
/// commit (`SQLitePool.beforeEachCommit`, the full-text indexes here). Under concurrent writes
/// those costs are shared by the whole group. One write waiting alone is a group of one: it runs
/// as it would without the queue.
///
/// There is no leader thread: the caller that finds no group running leads the next one, on its
/// own thread, and the others wait until their group is over.
final class WriteQueue: @unchecked Sendable {
    // @unchecked: `waiting`, `isLed`, `leader` and each job's `isDone` are guarded by `lock`; a job's other
    // state is written by the leader while its owner waits, and read by the owner after `isDone`
    // (the lock orders the two).

    /// One caller's write, waiting for a group.
    final class Job {
        /// Runs the caller's body on the writer; stores its own result. Dropped when the group is
        /// over: the body is the caller's non-escaping closure, which must not outlive the call.
        fileprivate(set) var run: ((SQLiteDatabase) throws -> Void)?
        /// Why the write did not happen (its body threw, or its group did not commit).
        var error: (any Error)?
        fileprivate var isDone = false
        /// Signalled once: when the job's group is over, or when its thread is to lead the next
        /// group. Each waiter has its own, so the end of a group wakes just its members.
        fileprivate let wake = DispatchSemaphore(value: 0)

        init(_ run: @escaping (SQLiteDatabase) throws -> Void) {
            self.run = run
        }
    }

    /// The most writes one group holds.
    let maxGroupSize: Int
    private let lock = ConditionLock()
    private var waiting: Deque<Job> = []
    /// Whether a thread leads (or has been chosen to lead) the groups.
    private var isLed = false
    /// The thread leading, once it runs.
    private var leader: pthread_t?

    init(maxGroupSize: Int) {
        precondition(maxGroupSize >= 1, "a group holds at least one write")
        self.maxGroupSize = maxGroupSize
    }

    /// Writes waiting for a group (not counting a group running).
    var waitingCount: Int { lock.withLock { waiting.count } }

    /// Queues `job` and returns when its group is over (committed or not): either this thread led
    /// the group, running `runGroup` with the jobs waiting (its own among them), or another did.
    ///
    /// The leader runs groups until its own job's is over, then hands the lead to the oldest
    /// write still waiting, if any.
    func submit(_ job: Job, runGroup: ([Job]) -> Void) {
        lock.lock()
        if let leader {
            // A write inside a write would wait for itself.
            precondition(pthread_equal(leader, pthread_self()) == 0, "a write nested inside a write")
        }
        waiting.append(job)
        if isLed {
            lock.unlock()
            job.wake.wait()
            // `isDone` was set before the signal, which orders it.
            if job.isDone { return }
            lock.lock()
        }
        isLed = true
        leader = pthread_self()
        while !job.isDone {
            let group = Array(waiting.prefix(maxGroupSize))
            waiting.removeFirst(group.count)
            lock.unlock()
            runGroup(group)
            lock.lock()
            for member in group {
                member.run = nil
                member.isDone = true
            }
            // Woken outside the lock: a woken member can take the CPU at once, and would
            // otherwise find the lock held and sleep again, as would every newcomer meanwhile.
            lock.unlock()
            for member in group where member !== job { member.wake.signal() }
            lock.lock()
        }
        leader = nil
        let next = waiting.first
        // The lead passes on: `isLed` stays set, so no newcomer leads meanwhile, and `next`
        // stays queued until it runs its group.
        if next == nil { isLed = false }
        lock.unlock()
        next?.wake.signal()
    }
}
