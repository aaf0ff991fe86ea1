import Dispatch
import Glibc
import HTTPTestSupport
import Synchronization
import Testing

@testable import SQLiteStore

/// Writes that wait together commit together (`WriteQueue`), and each still behaves as if it ran alone.
@Suite struct GroupCommitTests {
    private struct Refused: Error {}

    /// A pool whose `beforeEachCommit` counts the commits and inserts into `log` (so it runs inside
    /// the transaction), and fails when `failCommits` is set.
    private final class Flags: Sendable {
        let commits = Atomic<Int>(0)
        let failCommits = Atomic<Bool>(false)
    }

    private final class Fixture: Sendable {
        let directory: TemporaryDirectory
        let pool: SQLitePool
        let flags = Flags()
        var commits: Int { flags.commits.load(ordering: .sequentiallyConsistent) }

        init() throws {
            directory = try TemporaryDirectory()
            pool = try SQLitePool(path: directory.databasePath)
            try pool.write { db in
                try db.execute(
                    """
                    CREATE TABLE item (id INTEGER PRIMARY KEY);
                    CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT);
                    """)
            }
            pool.beforeEachCommit = { [flags] db in
                flags.commits.add(1, ordering: .sequentiallyConsistent)
                try db.execute("INSERT INTO log DEFAULT VALUES", [])
                if flags.failCommits.load(ordering: .sequentiallyConsistent) { throw Refused() }
            }
        }

        /// Holds the writer with a write that waits for `release`, while `writes` more are queued
        /// behind it, in order, on threads of their own; then lets them all run. Returns each queued write's
        /// outcome, by index.
        func queueBehindABlockedWrite(
            _ writes: [@Sendable (SQLiteDatabase) throws -> Int]
        ) throws -> [Result<Int, any Error>] {
            let release = DispatchSemaphore(value: 0)
            let holding = DispatchSemaphore(value: 0)
            let outcomes = Mutex<[Int: Result<Int, any Error>]>([:])
            let group = DispatchGroup()
            Thread.detach(group: group) { [pool] in
                _ = try? pool.write { _ in
                    holding.signal()
                    release.wait()
                }
            }
            holding.wait()
            for (index, write) in writes.enumerated() {
                Thread.detach(group: group) { [pool] in
                    let outcome = Result { try pool.write(write) }
                    outcomes.withLock { $0[index] = outcome }
                }
                // One at a time, so the group runs them in this order.
                while pool.waitingWrites <= index {
                    usleep(1000)
                }
            }
            release.signal()
            group.wait()
            return outcomes.withLock { dictionary in writes.indices.map { dictionary[$0]! } }
        }

        func ids() throws -> [Int] {
            try pool.read { try $0.query("SELECT id FROM item ORDER BY id", []) { try $0.int(0) } }
        }
    }

    @Test func writesThatWaitTogetherCommitOnceAndEachGetsItsOwnResult() throws {
        let fixture = try Fixture()
        defer { fixture.pool.close() }
        let outcomes = try fixture.queueBehindABlockedWrite(
            (1...5).map { id in
                { db in
                    try db.execute("INSERT INTO item (id) VALUES (?)", id)
                    return id * 10
                }
            })
        #expect(outcomes.map { try? $0.get() } == [10, 20, 30, 40, 50])
        #expect(try fixture.ids() == [1, 2, 3, 4, 5])
        // The blocked write's commit, then one for the five.
        #expect(fixture.commits == 2)
    }

    @Test func aWriteThatThrowsUndoesOnlyItsOwnChanges() throws {
        let fixture = try Fixture()
        defer { fixture.pool.close() }
        try fixture.pool.write { try $0.execute("INSERT INTO item (id) VALUES (0)", []) }
        let outcomes = try fixture.queueBehindABlockedWrite(
            (1...4).map { id in
                { db in
                    try db.execute("INSERT INTO item (id) VALUES (?)", id)
                    if id == 2 { throw Refused() }
                    // A constraint error halfway through a write: its first insert goes too.
                    if id == 3 { try db.execute("INSERT INTO item (id) VALUES (0)", []) }
                    return id
                }
            })
        #expect((try? outcomes[0].get()) == 1)
        #expect(throws: Refused.self) { try outcomes[1].get() }
        #expect(throws: SQLiteError.self) { try outcomes[2].get() }
        #expect((try? outcomes[3].get()) == 4)
        #expect(try fixture.ids() == [0, 1, 4])
    }

    @Test func aFailedCommitFailsEveryWriteOfTheGroupAndKeepsNone() throws {
        let fixture = try Fixture()
        defer { fixture.pool.close() }
        fixture.flags.failCommits.store(true, ordering: .sequentiallyConsistent)
        let outcomes = try fixture.queueBehindABlockedWrite(
            (1...3).map { id in
                { db in
                    try db.execute("INSERT INTO item (id) VALUES (?)", id)
                    return id
                }
            })
        for outcome in outcomes {
            #expect(throws: Refused.self) { try outcome.get() }
        }
        fixture.flags.failCommits.store(false, ordering: .sequentiallyConsistent)
        #expect(try fixture.ids() == [])
        // The pool goes on: the next write commits.
        try fixture.pool.write { try $0.execute("INSERT INTO item (id) VALUES (9)", []) }
        #expect(try fixture.ids() == [9])
        #expect(try fixture.pool.read { try $0.scalar("SELECT count(*) FROM log")?.int } == 1)
    }

    @Test func manyConcurrentWritersLoseNothing() throws {
        let fixture = try Fixture()
        defer { fixture.pool.close() }
        let errors = runOnThreads(
            (0..<8).map { thread in
                { [pool = fixture.pool] in
                    for n in 0..<100 {
                        try pool.write { db in
                            try db.execute("INSERT INTO item (id) VALUES (?)", thread * 1000 + n)
                        }
                    }
                }
            })
        #expect(errors.isEmpty)
        #expect(try fixture.ids().count == 800)
        #expect(fixture.commits <= 801)
    }
}
