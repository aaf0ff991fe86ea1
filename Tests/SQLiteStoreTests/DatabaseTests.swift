import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@Suite struct DatabaseTests {
    @Test func openingAWriterSetsThePragmas() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath, mode: .readWrite)
        #expect(try db.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try db.scalar("PRAGMA foreign_keys")?.int == 1)
        #expect(try db.scalar("PRAGMA synchronous")?.int == 2)  // FULL
        #expect(try db.scalar("PRAGMA busy_timeout")?.int == 5000)
        #expect(try db.scalar("PRAGMA temp_store")?.int == 2)  // MEMORY
        #expect(try db.scalar("PRAGMA cache_size")?.int == -8192)
    }

    @Test func configurationIsApplied() throws {
        let directory = try TemporaryDirectory()
        let configuration = StoreConfiguration(
            busyTimeoutMilliseconds: 1234, synchronous: .normal, cacheSizeKibibytes: 2048)
        let db = try SQLiteDatabase(path: directory.databasePath, mode: .readWrite, configuration: configuration)
        #expect(try db.scalar("PRAGMA synchronous")?.int == 1)  // NORMAL
        #expect(try db.scalar("PRAGMA busy_timeout")?.int == 1234)
        #expect(try db.scalar("PRAGMA cache_size")?.int == -2048)
    }

    @Test func readOnlyConnectionSeesWALAndCannotWrite() throws {
        let directory = try TemporaryDirectory()
        let writer = try SQLiteDatabase(path: directory.databasePath, mode: .readWrite)
        try writer.execute("CREATE TABLE t (x INTEGER)")
        let reader = try SQLiteDatabase(path: directory.databasePath, mode: .readOnly)
        #expect(try reader.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try reader.scalar("PRAGMA foreign_keys")?.int == 1)
        let error = try #require(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES (1)") }
        #expect(error.isReadOnly)
    }

    @Test func openingAMissingDirectoryFailsWithThePath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("missing/db.sqlite")
        let error = try #require(throws: SQLiteError.self) { try SQLiteDatabase(path: path) }
        #expect(error.description.contains(path))
    }

    @Test func executeRunsAScriptOfManyStatements() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        try db.execute(
            """
            CREATE TABLE a (id INTEGER PRIMARY KEY);  -- first
            CREATE TABLE b (id INTEGER PRIMARY KEY);
            /* trailing comment */
            """
        )
        try db.execute("INSERT INTO a DEFAULT VALUES")
        #expect(db.lastInsertRowID == 1)
        #expect(db.changes == 1)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")?.int == 2)
    }

    @Test func prepareRefusesASecondStatement() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1; SELECT 2") }
        _ = try db.prepare("SELECT 1; -- fine\n")
    }

    @Test func closedConnectionThrowsInsteadOfTrapping() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        db.close()
        db.close()
        #expect(db.isClosed)
        #expect(throws: SQLiteError.self) { try db.execute("SELECT 1") }
    }
}
