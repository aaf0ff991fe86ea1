import PostgresStore
import Storage
import StoreTestSupport
import Testing

@Suite(.enabled(if: TestPostgres.isConfigured, "needs BILATERAL_TEST_POSTGRES"))
struct PostgresDatabaseTests {
    /// Runs `body` on a connection to a fresh database.
    private func withConnection<T>(
        _ configuration: PostgresConfiguration = PostgresConfiguration(), _ body: (PostgresDatabase) throws -> T
    ) throws -> T {
        try TestPostgres.withDatabase { url in
            let db = try PostgresDatabase(url: url, configuration: configuration)
            defer { db.close() }
            return try body(db)
        }
    }

    @Test func roundTripsEveryKindOfValue() throws {
        try withConnection { db throws in
            try db.execute(
                "CREATE TABLE t (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT, b BYTEA, flag BOOLEAN)")
            let bytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x5C, 0x27]
            let values: [(Int64, SQLValue, SQLValue, SQLValue, SQLValue)] = [
                (1, .integer(.max), .real(0.1), .text("Grüße, 世界 🌍 'quoted' \"double\" \\"), .blob(bytes)),
                (2, .integer(.min), .real(-1e-300), .text(""), .blob([])),
                (3, .null, .null, .null, .null),
                (4, .integer(0), .real(.infinity), .text("?"), .blob([0])),
                (5, .integer(-1), .real(-.infinity), .text("line\nbreak"), .blob(Array(0...255))),
            ]
            for (id, integer, real, text, blob) in values {
                try db.execute(
                    "INSERT INTO t (id, i, r, s, b, flag) VALUES (?, ?, ?, ?, ?, ?)",
                    [.integer(id), integer, real, text, blob, .integer(id % 2)])
            }
            #expect(db.changes == 1)
            let rows = try db.query("SELECT id, i, r, s, b, flag FROM t ORDER BY id", []) { $0.values }
            #expect(rows.count == values.count)
            for (row, (id, integer, real, text, blob)) in zip(rows, values) {
                #expect(row == [.integer(id), integer, real, text, blob, .integer(id % 2)])
            }
            let nan = try db.scalar("SELECT CAST(? AS DOUBLE PRECISION)", [.real(.nan)])?.double
            #expect(nan?.isNaN == true)
        }
    }

    @Test func readsColumnsByNameTypeAndAccessor() throws {
        try withConnection { db throws in
            let row = try db.queryOne(
                """
                SELECT 42 AS "camelCase", CAST(2.5 AS NUMERIC) AS num, CAST(7 AS NUMERIC) AS whole, TRUE AS yes,
                       CAST(NULL AS TEXT) AS nothing, 'x' AS lower, CAST(1.5 AS REAL) AS f4
                """, []
            ) { row in
                (
                    try row.int("camelCase"), row.value(1), row.value(2), try row.bool("yes"),
                    try row.optionalString("nothing"), try row.string("lower"), try row.double("f4"),
                    row.optionalBlob(5), try row.int64(3)
                )
            }
            let values = try #require(row)
            #expect(values.0 == 42)
            #expect(values.1 == .real(2.5))
            #expect(values.2 == .integer(7))
            #expect(values.3)
            #expect(values.4 == nil)
            #expect(values.5 == "x")
            #expect(values.6 == 1.5)
            #expect(values.7 == Array("x".utf8))
            #expect(values.8 == 1)
            let missing = try db.queryOne("SELECT 1 AS a", []) { row in try? row.index(of: "A") }
            #expect(missing == .some(nil))
            let nullRead = #expect(throws: PostgresError.self) {
                _ = try db.queryOne("SELECT CAST(NULL AS BIGINT) AS n", []) { try $0.int(0) }
            }
            #expect(nullRead?.kind == .misuse)
            #expect(try db.queryOne("SELECT 1 WHERE false", []) { _ in 1 } == nil)
        }
    }

    @Test func mapsConstraintViolationsToKinds() throws {
        try withConnection { db throws in
            try db.execute(
                """
                CREATE TABLE parent (id BIGINT PRIMARY KEY);
                CREATE TABLE child (
                    id BIGINT PRIMARY KEY,
                    parent_id BIGINT NOT NULL REFERENCES parent (id),
                    amount BIGINT CHECK (amount >= 0)
                );
                INSERT INTO parent VALUES (1);
                """
            )
            try db.execute("INSERT INTO child (id, parent_id, amount) VALUES (?, ?, ?)", 1, 1, 0)
            let cases: [(String, [any SQLBindable], DatabaseErrorKind)] = [
                ("INSERT INTO child (id, parent_id, amount) VALUES (?, ?, ?)", [1, 1, 0], .uniqueViolation),
                ("INSERT INTO child (id, parent_id, amount) VALUES (?, ?, ?)", [2, 9, 0], .foreignKeyViolation),
                (
                    "INSERT INTO child (id, parent_id, amount) VALUES (?, ?, ?)", [3, SQLValue.null, 0],
                    .notNullViolation
                ),
                ("INSERT INTO child (id, parent_id, amount) VALUES (?, ?, ?)", [4, 1, -1], .checkViolation),
                ("SELECT * FROM no_such_table WHERE id = ?", [1], .invalidQuery),
                ("SELECT CAST(? AS BIGINT)", ["not a number"], .invalidQuery),
            ]
            for (sql, arguments, expected) in cases {
                let error = #expect(throws: PostgresError.self) { try db.execute(sql, arguments.map(\.sqlValue)) }
                #expect(error?.kind == expected, "\(sql)")
                #expect(error?.sqlstate != nil)
                // Bound values never reach an error.
                #expect(error?.description.contains("not a number") == false)
            }
            let misuse = #expect(throws: PostgresError.self) { try db.execute("SELECT ?", []) }
            #expect(misuse?.kind == .misuse)
        }
    }

    @Test func nestsTransactionsAsSavepoints() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
            try db.transaction { db in
                #expect(db.isInTransaction)
                try db.execute("INSERT INTO t VALUES (?)", 1)
                #expect(throws: PostgresError.self) {
                    try db.transaction { db in
                        try db.execute("INSERT INTO t VALUES (?)", 2)
                        try db.execute("INSERT INTO t VALUES (?)", 1)
                    }
                }
                // The savepoint's rollback cleared the failed statement's abort.
                try db.transaction { db in try db.execute("INSERT INTO t VALUES (?)", 3) }
            }
            #expect(!db.isInTransaction)
            #expect(try db.query("SELECT id FROM t ORDER BY id", []) { try $0.int(0) } == [1, 3])

            struct Failure: Error {}
            #expect(throws: Failure.self) {
                try db.transaction { db in
                    try db.execute("INSERT INTO t VALUES (?)", 4)
                    throw Failure()
                }
            }
            #expect(try db.scalar("SELECT count(*) FROM t WHERE id = ?", 4)?.int == 0)
        }
    }

    @Test func commitOfAnAbortedTransactionThrows() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
            let error = #expect(throws: PostgresError.self) {
                try db.transaction { db in
                    try db.execute("INSERT INTO t VALUES (?)", 1)
                    // The body swallows the failure; PostgreSQL would answer COMMIT with ROLLBACK.
                    try? db.execute("INSERT INTO t VALUES (?)", 1)
                }
            }
            #expect(error?.kind == .conflict)
            #expect(!db.isInTransaction)
            #expect(try db.scalar("SELECT count(*) FROM t")?.int == 0)
        }
    }

    /// `BEGIN` travels with the first statement and a read's `COMMIT` is read later: the first
    /// statement still runs inside the transaction, and the next command finds the connection idle.
    @Test func pipelinedBeginAndCommitKeepTheTransaction() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)")
            let isolation = try db.readSnapshot { db in
                try db.scalar("SELECT current_setting(?)", "transaction_isolation")?.string
            }
            #expect(isolation == "repeatable read")
            #expect(!db.isInTransaction)
            #expect(try db.scalar("SELECT current_setting(?)", "transaction_isolation")?.string == "read committed")
            // A read that ran nothing sends nothing; the next write commits as usual.
            try db.readSnapshot { _ in }
            try db.readSnapshot { db in _ = try db.scalar("SELECT count(*) FROM t") }
            try db.transaction { db in try db.execute("INSERT INTO t VALUES (?)", 1) }
            #expect(try db.scalar("SELECT count(*) FROM t")?.int == 1)
            // A failing first statement rolls the pipelined transaction back.
            #expect(throws: PostgresError.self) {
                try db.transaction { db in try db.execute("INSERT INTO t VALUES (?)", 1) }
            }
            #expect(!db.isInTransaction)
            #expect(try db.scalar("SELECT count(*) FROM t")?.int == 1)
        }
    }

    @Test func deferredForeignKeysAreCheckedAtCommit() throws {
        try withConnection { db throws in
            try db.execute(
                """
                CREATE TABLE parent (id BIGINT PRIMARY KEY);
                CREATE TABLE child (id BIGINT PRIMARY KEY,
                    parent_id BIGINT REFERENCES parent (id) DEFERRABLE INITIALLY IMMEDIATE);
                """
            )
            try db.transaction { db in
                try db.deferForeignKeys()
                try db.execute("INSERT INTO child VALUES (?, ?)", 1, 1)
                try db.execute("INSERT INTO parent VALUES (?)", 1)
            }
            let error = #expect(throws: PostgresError.self) {
                try db.transaction { db in
                    try db.deferForeignKeys()
                    try db.execute("INSERT INTO child VALUES (?, ?)", 2, 2)
                }
            }
            #expect(error?.kind == .foreignKeyViolation)
            #expect(!db.isInTransaction)
        }
    }

    @Test func cursorReadsBesideOtherQueries() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10)")
            var cursor = try db.cursor("SELECT id FROM t WHERE id <= ? ORDER BY id", [.integer(5)])
            var seen: [Int] = []
            while try cursor.step() {
                let id = try cursor.row.int(0)
                try db.execute("DELETE FROM t WHERE id = ?", id)
                seen.append(id)
            }
            #expect(try !cursor.step())
            #expect(seen == [1, 2, 3, 4, 5])
            #expect(try db.scalar("SELECT count(*) FROM t")?.int == 5)
        }
    }

    @Test func copiesInAndAbortsCleanly() throws {
        try withConnection { db throws in
            try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT)")
            let copied = try db.copyIn("COPY t (id, name) FROM STDIN") { send in
                for id in 1...1000 {
                    try Array("\(id)\tname \(id)\n".utf8).withUnsafeBytes(send)
                }
            }
            #expect(copied == 1000)
            #expect(try db.scalar("SELECT name FROM t WHERE id = ?", 1000)?.string == "name 1000")

            struct Failure: Error {}
            #expect(throws: Failure.self) {
                try db.copyIn("COPY t (id, name) FROM STDIN") { send in
                    try Array("2001\tlost\n".utf8).withUnsafeBytes(send)
                    throw Failure()
                }
            }
            // A row the server rejects fails the whole COPY.
            let rejected = #expect(throws: PostgresError.self) {
                try db.copyIn("COPY t (id, name) FROM STDIN") { send in
                    try Array("3001\tkept?\n1\tduplicate\n".utf8).withUnsafeBytes(send)
                }
            }
            #expect(rejected?.kind == .uniqueViolation)
            #expect(try db.scalar("SELECT count(*) FROM t")?.int == 1000)
            // The connection is usable after both.
            #expect(try db.scalar("SELECT 1")?.int == 1)
        }
    }

    @Test func overflowingTheStatementCacheEmptiesIt() throws {
        try withConnection(PostgresConfiguration(statementCacheCapacity: 2)) { db throws in
            for round in 0..<2 {
                for offset in 0..<5 {
                    let sql = "SELECT CAST(? AS BIGINT) + \(offset)"
                    #expect(try db.scalar(sql, [.integer(Int64(round))])?.int == round + offset)
                }
            }
            #expect(try db.scalar("SELECT count(*) FROM pg_prepared_statements")?.int ?? 99 <= 2)
        }
    }

    @Test func statementTimeoutIsAnInterruption() throws {
        try withConnection(PostgresConfiguration(statementTimeout: .milliseconds(100))) { db throws in
            let error = #expect(throws: PostgresError.self) { try db.execute("SELECT pg_sleep(5)") }
            #expect(error?.kind == .interrupted)
            #expect(try db.scalar("SELECT 1")?.int == 1)
        }
    }

    @Test func longStatementsAreAllowedForOneTransaction() throws {
        try withConnection(PostgresConfiguration(statementTimeout: .milliseconds(100))) { db throws in
            try db.transaction { db in
                try db.allowLongStatements()
                // "0": no limit, for the rest of this transaction only.
                #expect(try db.scalar("SHOW statement_timeout")?.string == "0")
            }
            #expect(try db.scalar("SHOW statement_timeout")?.string == "100ms")
            #expect(throws: PostgresError.self) {
                try db.transaction { db in
                    try db.allowLongStatements()
                    try db.execute("SELECT 1 / 0")
                }
            }
            #expect(try db.scalar("SHOW statement_timeout")?.string == "100ms", "a rollback restores it too")
        }
    }

    @Test func unreachableServerIsUnavailable() throws {
        // Port 1 on the loopback refuses at once; the configured timeout bounds anything slower.
        let error = #expect(throws: PostgresError.self) {
            _ = try PostgresDatabase(
                url: "postgresql://nobody:secret-password@127.0.0.1:1/db",
                configuration: PostgresConfiguration(connectTimeout: .seconds(2)))
        }
        #expect(error?.kind == .unavailable)
        #expect(error?.description.contains("secret-password") == false)
    }
}
