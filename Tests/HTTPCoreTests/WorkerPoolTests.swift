import Dispatch
import Glibc
import Synchronization
import Testing

@testable import HTTPCore

/// The worker pool runs at most `runLimit` jobs at a time, not counting jobs that wait
/// (`HandlerWait`), whose places go to the spare threads meanwhile.
@Suite struct WorkerPoolTests {
    private final class Concurrency: Sendable {
        let now = Atomic<Int>(0)
        let most = Atomic<Int>(0)

        func enter() {
            let value = now.add(1, ordering: .sequentiallyConsistent).newValue
            var seen = most.load(ordering: .sequentiallyConsistent)
            while value > seen {
                let (exchanged, original) = most.compareExchange(
                    expected: seen, desired: value, ordering: .sequentiallyConsistent)
                if exchanged { break }
                seen = original
            }
        }

        func leave() { now.subtract(1, ordering: .sequentiallyConsistent) }
    }

    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
        func set(_ newValue: Bool) { value.store(newValue, ordering: .sequentiallyConsistent) }
    }

    @Test func noMoreJobsRunAtOnceThanTheLimitWhateverTheSpares() {
        let pool = WorkerPool(threads: 2, spareThreads: 4)
        defer { pool.stop() }
        let concurrency = Concurrency()
        let group = DispatchGroup()
        for _ in 0..<12 {
            group.enter()
            pool.submit {
                concurrency.enter()
                usleep(5000)
                concurrency.leave()
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        let most = concurrency.most.load(ordering: .sequentiallyConsistent)
        #expect(most == 2)
    }

    /// With one place: whether a second job runs while the first waits for it, within `patience`.
    private static func secondRunsWhileFirstWaits(spareThreads: Int, patience: Double) -> Bool {
        let pool = WorkerPool(threads: 1, spareThreads: spareThreads)
        defer { pool.stop() }
        let secondRan = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        let waited = Flag()
        pool.submit {
            let result = HandlerWait.run { secondRan.wait(timeout: .now() + patience) }
            waited.set(result == .success)
            firstDone.signal()
        }
        pool.submit { secondRan.signal() }
        _ = firstDone.wait(timeout: .now() + patience + 10)
        return waited.isSet
    }

    @Test func aWaitingJobGivesItsPlaceToTheNext() {
        #expect(Self.secondRunsWhileFirstWaits(spareThreads: 1, patience: 10))
    }

    @Test func withoutSparesAWaitingJobHoldsItsThread() {
        #expect(!Self.secondRunsWhileFirstWaits(spareThreads: 0, patience: 0.3))
    }

    @Test func sparesStayAsleepWhileNoJobWaits() {
        let pool = WorkerPool(threads: 1, spareThreads: 3)
        defer { pool.stop() }
        let threads = Mutex<Set<UInt>>([])
        let group = DispatchGroup()
        for _ in 0..<50 {
            group.enter()
            pool.submit {
                threads.withLock { _ = $0.insert(UInt(pthread_self())) }
                group.leave()
            }
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        let used = threads.withLock { $0.count }
        #expect(used == 1)
    }

    @Test func offThePoolAWaitJustRuns() {
        #expect(HandlerWait.run { 42 } == 42)
    }
}
