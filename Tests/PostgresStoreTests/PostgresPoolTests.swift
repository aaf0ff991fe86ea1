import Dispatch
import Foundation
import PostgresStore
import Storage
import StoreTestSupport
import Synchronization
import Testing

@Suite(.enabled(if: TestPostgres.isConfigured, "needs BILATERAL_TEST_POSTGRES"))
struct PostgresPoolTests {
    @Test func readSeesOneSnapshotWhileTheWriterCommits() throws {
        try TestPostgres.withPool { pool, _ throws in
            try pool.write { try $0.execute("CREATE TABLE t (id BIGINT PRIMARY KEY); INSERT INTO t VALUES (1)") }
            let counts = try pool.read { db -> (Int, Int) in
                let before = try db.scalar("SELECT count(*) FROM t")?.int ?? -1
                try pool.write { try $0.execute("INSERT INTO t VALUES (?)", 2) }
                let after = try db.scalar("SELECT count(*) FROM t")?.int ?? -1
                return (before, after)
            }
            #expect(counts == (1, 1))
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM t")?.int } == 2)
            let readOnly = #expect(throws: PostgresError.self) {
                try pool.read { try $0.execute("INSERT INTO t VALUES (?)", 3) }
            }
            #expect(readOnly?.kind == .readOnly)
            #expect(pool.timings.snapshot()[DatabaseTimings.Phase.read.rawValue].count >= 2)
        }
    }

    @Test func snapshotReadStreamsManyRows() throws {
        try TestPostgres.withPool { pool, _ throws in
            try pool.write { db in
                try db.execute(
                    "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT); "
                        + "INSERT INTO t SELECT i, 'name ' || i FROM generate_series(1, 100000) AS i")
            }
            var count = 0
            var sum: Int64 = 0
            try pool.snapshotRead { db in
                try db.forEachRow("SELECT id, name FROM t WHERE id > ? ORDER BY id", [.integer(0)]) { row in
                    count += 1
                    sum += try row.int64(0)
                    // Other queries run meanwhile (an export looks names up) without cutting the
                    // stream short.
                    if count % 10_000 == 0 {
                        #expect(try db.scalar("SELECT name FROM t WHERE id = ?", [.integer(1)])?.string == "name 1")
                    }
                }
                // The connection takes the next query after a full stream.
                #expect(try db.scalar("SELECT count(*) FROM t")?.int == 100_000)
                // A body that throws midway leaves the connection usable too.
                struct Stop: Error {}
                #expect(throws: Stop.self) {
                    try db.forEachRow("SELECT id FROM t ORDER BY id", []) { row in
                        if try row.int(0) == 10 { throw Stop() }
                    }
                }
            }
            #expect(count == 100_000)
            #expect(sum == 100_000 * 100_001 / 2)
        }
    }

    @Test func migratesOnceWhenTwoPoolsMigrateAtOnce() throws {
        try TestPostgres.withDatabase { url throws in
            let runs = Atomic<Int>(0)
            let plan = MigrationPlan([
                Migration(version: 1, name: "create") { db in
                    runs.add(1, ordering: .relaxed)
                    try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
                    // Holds the lock a moment, so the other pool really waits on it.
                    try db.execute("SELECT pg_sleep(0.2)")
                },
                Migration(version: 2, name: "fill") { db in
                    runs.add(1, ordering: .relaxed)
                    try db.execute("INSERT INTO t VALUES (?)", 1)
                },
            ])
            let pools = try (0..<2).map { _ in try PostgresPool(url: url) }
            defer { pools.forEach { $0.close() } }
            let applied = Mutex<[Int]>([])
            let errors = runOnThreads(
                pools.map { pool in
                    { @Sendable in
                        let migrations = try pool.migrate(plan)
                        applied.withLock { $0.append(migrations.count) }
                    }
                })
            #expect(errors.isEmpty, "\(errors)")
            #expect(applied.withLock { $0.sorted() } == [0, 2])
            #expect(runs.load(ordering: .relaxed) == 2)
            #expect(try pools[0].appliedMigrationVersions() == [1, 2])
            let appliedAt = try pools[0].read { try $0.scalar("SELECT applied_at FROM schema_migrations")?.string }
            #expect(appliedAt?.count == 24)
            #expect(appliedAt?.hasSuffix("Z") == true)

            let failing = MigrationPlan(
                plan.migrations + [
                    Migration(version: 3, name: "broken") { db in
                        try db.execute("CREATE TABLE u (id BIGINT)")
                        try db.execute("SELECT * FROM no_such_table")
                    }
                ])
            let error = #expect(throws: MigrationError.self) { try pools[1].migrate(failing) }
            #expect(error?.version == 3)
            #expect(try pools[1].appliedMigrationVersions() == [1, 2])
            // The lock was released: a third migration runs.
            #expect(
                try pools[0].migrate(MigrationPlan(plan.migrations + [Migration(version: 3, name: "ok") { _ in }]))
                    .count == 1)
        }
    }

    @Test func interruptCancelsARunningStatement() throws {
        try TestPostgres.withPool { pool, url throws in
            let admin = try PostgresDatabase(url: url)
            defer { admin.close() }
            let outcome = Mutex<DatabaseErrorKind?>(nil)
            let errors = runOnThreads([
                {
                    do {
                        try pool.read { try $0.execute("SELECT pg_sleep(10)") }
                    } catch {
                        outcome.withLock { $0 = kind(of: error) }
                    }
                }
            ]) {
                // A cancel that reaches an idle backend is ignored: wait until the sleep runs.
                while try admin.scalar(
                    """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(10)%'
                      AND pid <> pg_backend_pid()
                    """)?.int == 0
                {}
                pool.interrupt()
            }
            #expect(errors.isEmpty, "\(errors)")
            #expect(outcome.withLock { $0 } == .interrupted)
            #expect(try pool.read { try $0.scalar("SELECT 1")?.int } == 1)
        }
    }

    @Test func reconnectsAfterTheServerEndsItsSessions() throws {
        try TestPostgres.withPool(PostgresConfiguration(readerCount: 1)) { pool, url throws in
            try pool.write { try $0.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)") }
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM t")?.int } == 0)
            let admin = try PostgresDatabase(url: url)
            defer { admin.close() }
            let ended = try admin.scalar(
                """
                SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)?.int
            #expect(ended == 2)

            let writeError = #expect(throws: PostgresError.self) {
                try pool.write { try $0.execute("INSERT INTO t VALUES (?)", 1) }
            }
            #expect(writeError?.kind == .unavailable)
            let readError = #expect(throws: PostgresError.self) {
                try pool.read { try $0.scalar("SELECT 1") }
            }
            #expect(readError?.kind == .unavailable)

            try pool.write { try $0.execute("INSERT INTO t VALUES (?)", 1) }
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM t")?.int } == 1)
        }
    }

    @Test func recoversWhenTheDatabaseComesBack() throws {
        try TestPostgres.withPool(PostgresConfiguration(readerCount: 1)) { pool, _ throws in
            let name = try #require(try pool.read { try $0.scalar("SELECT current_database()")?.string })
            let admin = try PostgresDatabase(url: try #require(TestPostgres.url))
            defer { admin.close() }
            try admin.execute("DROP DATABASE \(name) WITH (FORCE)")

            // The call that finds the connection gone, then the ones that cannot connect.
            for _ in 0..<2 {
                let error = #expect(throws: PostgresError.self) { try pool.write { try $0.execute("SELECT 1") } }
                #expect(error?.kind == .unavailable)
            }
            let readError = #expect(throws: PostgresError.self) { try pool.read { try $0.scalar("SELECT 1") } }
            #expect(readError?.kind == .unavailable)

            try admin.execute("CREATE DATABASE \(name)")
            try pool.write { try $0.execute("CREATE TABLE t (id BIGINT PRIMARY KEY); INSERT INTO t VALUES (1)") }
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM t")?.int } == 1)
        }
    }

    @Test func poolWithoutAServerFailsToOpen() throws {
        let error = #expect(throws: PostgresError.self) {
            _ = try PostgresPool(
                url: "postgresql://nobody@127.0.0.1:1/db",
                configuration: PostgresConfiguration(connectTimeout: .seconds(2)))
        }
        #expect(error?.kind == .unavailable)
    }

    @Test func retriesAWriteThatLostARace() throws {
        try TestPostgres.withPool { pool, _ throws in
            try pool.write { try $0.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)") }
            var attempts = 0
            try pool.write { db in
                attempts += 1
                try db.execute("INSERT INTO t VALUES (?)", attempts)
                if attempts < 2 {
                    throw PostgresError(kind: .conflict, sqlstate: "40001", message: "could not serialize access")
                }
            }
            #expect(attempts == 2)
            #expect(try pool.read { try $0.query("SELECT id FROM t", []) { try $0.int(0) } } == [2])

            // A deadlock the server detects is retried the same way, up to writeAttempts times.
            attempts = 0
            let error = #expect(throws: PostgresError.self) {
                try pool.write { db in
                    attempts += 1
                    try db.execute(
                        "DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$")
                }
            }
            #expect(error?.kind == .conflict)
            #expect(attempts == PostgresPool.writeAttempts)
        }
    }

    @Test func retriesTheVictimOfARealDeadlock() throws {
        try TestPostgres.withDatabase { url throws in
            let pools = try (0..<2).map { _ in try PostgresPool(url: url) }
            defer { pools.forEach { $0.close() } }
            try pools[0].write {
                try $0.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT); INSERT INTO t VALUES (1, 0), (2, 0)")
            }
            let attempts = Atomic<Int>(0)
            let locked = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
            // Each writer locks one row, waits until the other has locked the other row, then asks for
            // it: the server detects the deadlock (after `deadlock_timeout`) and aborts one of them.
            let errors = runOnThreads(
                (0..<2).map { side in
                    { @Sendable in
                        var isFirstAttempt = true
                        try pools[side].write { db in
                            attempts.add(1, ordering: .relaxed)
                            try db.execute("UPDATE t SET n = n + 1 WHERE id = ?", side + 1)
                            if isFirstAttempt {
                                isFirstAttempt = false
                                locked[side].signal()
                                locked[1 - side].wait()
                            }
                            try db.execute("UPDATE t SET n = n + 1 WHERE id = ?", 2 - side)
                        }
                    }
                })
            #expect(errors.isEmpty, "\(errors)")
            // At least the victim's second attempt. Under load the retried victim can meet the
            // other writer's row lock again before it commits and be chosen once more, within
            // its attempts: what must hold is that both writes committed exactly once.
            #expect(attempts.load(ordering: .relaxed) >= 3)
            #expect(attempts.load(ordering: .relaxed) <= 2 * PostgresPool.writeAttempts)
            #expect(try pools[0].read { try $0.query("SELECT n FROM t ORDER BY id", []) { try $0.int(0) } } == [2, 2])
        }
    }

    @Test func beforeEachCommitRunsInEveryWrite() throws {
        try TestPostgres.withPool { pool, _ throws in
            try pool.migrate(
                MigrationPlan(
                    [
                        Migration(version: 1, name: "tables") { db in
                            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY); CREATE TABLE log (n BIGINT)")
                        }
                    ],
                    beforeEachCommit: { db in try db.execute("INSERT INTO log VALUES (?)", 1) }))
            try pool.write { try $0.execute("INSERT INTO t VALUES (?)", 1) }
            try pool.writeAlone { try $0.execute("INSERT INTO t VALUES (?)", 2) }
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM log")?.int } == 2)
        }
    }

    /// Two writes are open at once, each on a writer of its own: neither waits for the other's
    /// commit (with one writer the second would wait for the first forever here).
    @Test func writesRunSideBySideOnTheirOwnWriters() throws {
        try TestPostgres.withPool(PostgresConfiguration(writerCount: 2)) { pool, _ throws in
            try pool.write { try $0.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)") }
            let inside = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
            let met = Atomic<Int>(0)
            let errors = runOnThreads(
                (0..<2).map { side in
                    { @Sendable in
                        try pool.write { db in
                            try db.execute("INSERT INTO t VALUES (?)", side + 1)
                            inside[side].signal()
                            // A deadline rather than a hang should the pool ever serialize writes.
                            if inside[1 - side].wait(timeout: .now() + 10) == .success {
                                met.add(1, ordering: .relaxed)
                                inside[1 - side].signal()
                            }
                        }
                    }
                })
            #expect(errors.isEmpty, "\(errors)")
            #expect(met.load(ordering: .relaxed) == 2)
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM t")?.int } == 2)
        }
    }

    @Test func closedPoolThrows() throws {
        try TestPostgres.withDatabase { url throws in
            let pool = try PostgresPool(url: url)
            pool.close()
            #expect(throws: PostgresError.self) { try pool.read { _ in 1 } }
            #expect(throws: PostgresError.self) { try pool.write { _ in 1 } }
            #expect(throws: PostgresError.self) { try pool.snapshotRead { _ in 1 } }
            pool.interrupt()
        }
    }
}
