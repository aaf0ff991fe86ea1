import Foundation
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@Suite struct SQLiteErrorTests {
    private static func makeDatabase(_ directory: TemporaryDirectory) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: directory.databasePath)
        try db.execute(
            """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0));
            CREATE TABLE sessions (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id));
            """
        )
        return db
    }

    @Test func errorCarriesCodeMessageAndSQLButNeverBoundValues() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        let secret = "s3cret-token@example.org"
        let sql = "INSERT INTO accounts (email) VALUES (?)"
        try db.execute(sql, secret)
        let error = try #require(throws: SQLiteError.self) { try db.execute(sql, secret) }
        #expect(error.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error.code == 19)  // SQLITE_CONSTRAINT
        #expect(error.message.contains("UNIQUE constraint failed: accounts.email"))
        #expect(error.sql == sql)
        #expect(error.description.contains(sql))
        #expect(!error.description.contains(secret))
        #expect(!String(reflecting: error).contains(secret))
    }

    @Test func syntaxErrorCarriesTheSQL() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        let error = try #require(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(error.code == 1)  // SQLITE_ERROR
        #expect(error.message.contains("syntax error"))
        #expect(error.sql == "SELEC 1")
        let scriptError = try #require(throws: SQLiteError.self) {
            try db.execute("CREATE TABLE ok (x); CREATE TABL broken (x)")
        }
        #expect(scriptError.sql == "CREATE TABL broken (x)")
    }

    @Test func constraintClassification() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        try db.execute("INSERT INTO accounts (id, email) VALUES (1, 'a@example.org')")

        func failure(_ sql: String, _ arguments: any SQLBindable...) throws -> SQLiteError {
            try #require(throws: SQLiteError.self) { try db.execute(sql, arguments.map(\.sqlValue)) }
        }

        let unique = try failure("INSERT INTO accounts (email) VALUES (?)", "a@example.org")
        #expect(unique.isConstraint && unique.isUniqueConstraint && !unique.isForeignKeyConstraint)

        let primaryKey = try failure("INSERT INTO accounts (id, email) VALUES (?, ?)", 1, "b@example.org")
        #expect(primaryKey.isUniqueConstraint)

        let foreignKey = try failure("INSERT INTO sessions (account_id) VALUES (?)", 999)
        #expect(foreignKey.isConstraint && foreignKey.isForeignKeyConstraint && !foreignKey.isUniqueConstraint)

        let notNull = try failure("INSERT INTO accounts (email) VALUES (?)", SQLValue.null)
        #expect(notNull.isNotNullConstraint && !notNull.isUniqueConstraint)

        let check = try failure("INSERT INTO accounts (email, age) VALUES (?, ?)", "c@example.org", -1)
        #expect(check.isCheckConstraint)

        // The pattern callers use.
        do {
            try db.execute("INSERT INTO accounts (email) VALUES (?)", "a@example.org")
            Issue.record("expected a unique violation")
        } catch let error as SQLiteError where error.isUniqueConstraint {
            // expected
        }
    }

    @Test func corruptFileIsClassified() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("not-a-db.sqlite")
        try String(repeating: "garbage!", count: 1000).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: SQLiteError.self) {
            let db = try SQLiteDatabase(path: path)
            _ = try db.scalar("SELECT count(*) FROM sqlite_schema")
        }
        #expect(error.isCorrupt)
    }
}
