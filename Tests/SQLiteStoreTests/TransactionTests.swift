import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@Suite struct TransactionTests {
    struct Failure: Error {}

    private static func makeDatabase(_ directory: TemporaryDirectory) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: directory.databasePath)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        return db
    }

    private static func ids(_ db: SQLiteDatabase) throws -> [Int] {
        try db.query("SELECT id FROM t ORDER BY id") { try $0.int(0) }
    }

    @Test func commitsWhenTheBodyReturns() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        let value = try db.transaction(.immediate) { db in
            try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 1, "one")
            return db.lastInsertRowID
        }
        #expect(value == 1)
        #expect(!db.isInTransaction)
        let other = try SQLiteDatabase(path: directory.databasePath, mode: .readOnly)
        #expect(try Self.ids(other) == [1])
    }

    @Test func rollsBackWhenTheBodyThrows() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        #expect(throws: Failure.self) {
            try db.transaction(.immediate) { db in
                try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 1, "one")
                try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 2, "two")
                throw Failure()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try Self.ids(db) == [])
    }

    @Test func rollsBackWhenAStatementFails() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        let error = try #require(throws: SQLiteError.self) {
            try db.transaction { db in
                try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 1, "one")
                try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 2, SQLValue.null)
            }
        }
        #expect(error.isNotNullConstraint)
        #expect(try Self.ids(db) == [])
    }

    @Test func innerFailureRollsBackOnlyItsSavepoint() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        try db.transaction(.immediate) { db in
            try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 1, "outer")
            #expect(throws: Failure.self) {
                try db.transaction { db in
                    try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 2, "inner")
                    try db.transaction { db in
                        try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 3, "innermost")
                    }
                    throw Failure()
                }
            }
            try db.transaction { db in
                try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 4, "second inner")
            }
            #expect(db.isInTransaction)
        }
        #expect(try Self.ids(db) == [1, 4])
    }

    @Test func innerFailureThatEscapesRollsBackEverything() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        #expect(throws: Failure.self) {
            try db.transaction { db in
                try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 1, "outer")
                try db.transaction { db in
                    try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 2, "inner")
                    throw Failure()
                }
            }
        }
        #expect(try Self.ids(db) == [])
        // The connection is fully usable afterwards, savepoints included.
        try db.transaction { db in
            try db.transaction { db in try db.execute("INSERT INTO t (id, label) VALUES (?, ?)", 5, "later") }
        }
        #expect(try Self.ids(db) == [5])
    }

    @Test func poolWriteRollsBackOnThrow() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(path: directory.databasePath)
        defer { pool.close() }
        try pool.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)") }
        #expect(throws: Failure.self) {
            try pool.write { db in
                try db.execute("INSERT INTO t (id) VALUES (?)", 1)
                throw Failure()
            }
        }
        try pool.write { try $0.execute("INSERT INTO t (id) VALUES (?)", 2) }
        #expect(try pool.read { try $0.query("SELECT id FROM t") { try $0.int(0) } } == [2])
    }

    @Test func writeWithoutTransactionMustNotLeaveOneOpen() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(path: directory.databasePath)
        defer { pool.close() }
        try pool.writeWithoutTransaction { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)") }
        #expect(throws: SQLiteError.self) {
            try pool.writeWithoutTransaction { db in
                try db.execute("BEGIN")
                try db.execute("INSERT INTO t (id) VALUES (?)", 1)
            }
        }
        try pool.write { try $0.execute("INSERT INTO t (id) VALUES (?)", 2) }
        #expect(try pool.read { try $0.query("SELECT id FROM t") { try $0.int(0) } } == [2])
    }

    @Test func readsCannotWrite() throws {
        let directory = try TemporaryDirectory()
        let pool = try SQLitePool(path: directory.databasePath)
        defer { pool.close() }
        try pool.write { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)") }
        let error = try #require(throws: SQLiteError.self) {
            try pool.read { try $0.execute("INSERT INTO t (id) VALUES (?)", 1) }
        }
        #expect(error.isReadOnly)
    }
}
