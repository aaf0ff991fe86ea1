import Dispatch
import Foundation
import HTTPTestSupport
import SQLiteStore
import Storage
import Synchronization
import Testing

@Suite struct DatabasePoolTests {
    private static func makePool(
        _ directory: TemporaryDirectory, configuration: StoreConfiguration = StoreConfiguration()
    ) throws -> SQLitePool {
        let pool = try SQLitePool(path: directory.databasePath, configuration: configuration)
        try pool.write { db in
            try db.execute(
                """
                CREATE TABLE a (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);
                CREATE TABLE b (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);
                """
            )
        }
        return pool
    }

    @Test func readersAlwaysSeeAConsistentSnapshotWhileTheWriterWrites() throws {
        let directory = try TemporaryDirectory()
        let pool = try Self.makePool(directory)
        defer { pool.close() }
        let writes = 500
        let writerDone = Atomic<Bool>(false)
        let readsDone = Atomic<Int>(0)
        let readsDuringWrites = Atomic<Int>(0)

        let writer: @Sendable () throws -> Void = {
            defer { writerDone.store(true, ordering: .sequentiallyConsistent) }
            for id in 1...writes {
                // Each transaction touches both tables; a reader must never see one without the other.
                try pool.write { db in
                    try db.execute("INSERT INTO a (id, amount) VALUES (?, ?)", id, id)
                    try db.execute("INSERT INTO b (id, amount) VALUES (?, ?)", id + 1000, id - 1)
                    try db.execute("UPDATE b SET amount = amount + 1 WHERE id = ?", 1000 + (id + 1) / 2)
                }
            }
        }
        let reader: @Sendable () throws -> Void = {
            var lastCount = 0
            while true {
                let finished = writerDone.load(ordering: .sequentiallyConsistent)
                let (count, sumA, sumB) = try pool.read { db in
                    let count = try db.scalar("SELECT count(*) FROM a")?.int ?? -1
                    let sumA = try db.scalar("SELECT coalesce(sum(amount), 0) FROM a")?.int ?? -1
                    let sumB = try db.scalar("SELECT coalesce(sum(amount), 0) FROM b")?.int ?? -1
                    return (count, sumA, sumB)
                }
                // Each transaction adds id to both sums, b's in two statements: they must always agree.
                guard sumA == sumB, sumA == count * (count + 1) / 2, count >= lastCount else {
                    throw SQLiteError(extendedCode: 1, message: "inconsistent read: \(count) \(sumA) \(sumB)")
                }
                lastCount = count
                readsDone.add(1, ordering: .relaxed)
                if !finished { readsDuringWrites.add(1, ordering: .relaxed) }
                if finished { return }
            }
        }
        let errors = runOnThreads([writer, reader, reader, reader, reader])
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(try pool.read { try $0.scalar("SELECT count(*) FROM a")?.int } == writes)
        let concurrentReads = readsDuringWrites.load(ordering: .relaxed)
        #expect(concurrentReads > 4)
    }

    @Test func readerPoolBlocksRatherThanFailingWhenExhausted() throws {
        let directory = try TemporaryDirectory()
        let pool = try Self.makePool(directory, configuration: StoreConfiguration(readerCount: 2))
        defer { pool.close() }
        let held = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let thirdFinished = Atomic<Bool>(false)
        let group = DispatchGroup()
        for _ in 0..<2 {
            Thread.detach(group: group) {
                _ = try? pool.read { _ in
                    held.signal()
                    release.wait()
                }
            }
        }
        held.wait()
        held.wait()
        Thread.detach(group: group) {
            let value = try? pool.read { try $0.scalar("SELECT 42")?.int }
            #expect(value == 42)
            thirdFinished.store(true, ordering: .sequentiallyConsistent)
        }
        usleep(200_000)
        let finishedEarly = thirdFinished.load(ordering: .sequentiallyConsistent)
        #expect(!finishedEarly, "a third read must wait for a reader")
        // Writes are not held up by busy readers.
        try pool.write { try $0.execute("INSERT INTO a (id, amount) VALUES (1, 1)") }
        release.signal()
        release.signal()
        group.wait()
        let finished = thirdFinished.load(ordering: .sequentiallyConsistent)
        #expect(finished)
    }

    @Test func closeWakesWaitingReadersAndWaitsForBusyOnes() throws {
        let directory = try TemporaryDirectory()
        let pool = try Self.makePool(directory, configuration: StoreConfiguration(readerCount: 1))
        let held = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holderResult = Mutex<Int?>(nil)
        let waiterError = Mutex<SQLiteError?>(nil)
        let closed = Atomic<Bool>(false)
        let group = DispatchGroup()
        Thread.detach(group: group) {
            let value = try? pool.read { db -> Int? in
                held.signal()
                release.wait()
                return try db.scalar("SELECT 7")?.int
            }
            holderResult.withLock { $0 = value ?? nil }
        }
        held.wait()
        Thread.detach(group: group) {
            do {
                _ = try pool.read { _ in 0 }
            } catch let error as SQLiteError {
                waiterError.withLock { $0 = error }
            } catch {}
        }
        usleep(50_000)
        Thread.detach(group: group) {
            pool.close()
            closed.store(true, ordering: .sequentiallyConsistent)
        }
        usleep(100_000)
        let closedEarly = closed.load(ordering: .sequentiallyConsistent)
        #expect(!closedEarly, "close waits for the busy reader")
        release.signal()
        group.wait()
        let closedAfterRelease = closed.load(ordering: .sequentiallyConsistent)
        #expect(closedAfterRelease)
        #expect(holderResult.withLock { $0 } == 7)
        #expect(waiterError.withLock { $0 }?.message.contains("closed") == true)
        #expect(throws: SQLiteError.self) { try pool.write { _ in } }
    }

    @Test func interruptStopsALongRead() throws {
        let directory = try TemporaryDirectory()
        let pool = try Self.makePool(directory)
        defer { pool.close() }
        let outcome = Mutex<SQLiteError?>(nil)
        let done = Atomic<Bool>(false)
        Thread.detach {
            do {
                _ = try pool.read { db in
                    try db.scalar(
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
                }
            } catch let error as SQLiteError {
                outcome.withLock { $0 = error }
            } catch {}
            done.store(true, ordering: .sequentiallyConsistent)
        }
        // An interrupt with nothing running is a no-op, so repeat until the query has seen one.
        for _ in 0..<500 where !done.load(ordering: .sequentiallyConsistent) {
            usleep(10_000)
            pool.interrupt()
        }
        let finished = done.load(ordering: .sequentiallyConsistent)
        #expect(finished)
        #expect(outcome.withLock { $0 }?.isInterrupt == true)
        #expect(try pool.read { try $0.scalar("SELECT 1")?.int } == 1)
    }
}
