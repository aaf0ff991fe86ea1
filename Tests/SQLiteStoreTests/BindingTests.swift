import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@Suite struct BindingTests {
    private static func makeDatabase(_ directory: TemporaryDirectory) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: directory.databasePath)
        try db.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, value ANY) STRICT")
        return db
    }

    static let roundTripValues: [SQLValue] = [
        .null,
        .integer(0), .integer(-1), .integer(Int64.max), .integer(Int64.min),
        .real(3.141592653589793), .real(-0.5), .real(1e308), .real(Double.leastNonzeroMagnitude),
        .text(""), .text("plain"), .text("Ελληνικά, 日本語, emoji 🇫🇷👩‍👩‍👧, combining e\u{301}"),
        .text("embedded \u{0} nul"), .text("quote ' and \" and ;"),
        .blob([]), .blob([0]), .blob(Array(0...255)),
    ]

    @Test(arguments: roundTripValues)
    func valueRoundTrips(_ value: SQLValue) throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        try db.execute("INSERT INTO v (value) VALUES (?)", value)
        let read = try db.queryOne("SELECT value FROM v") { $0.value(0) }
        #expect(read == value)
    }

    @Test func swiftTypesRoundTripThroughTypedAccessors() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        try db.execute("CREATE TABLE t (i INTEGER, i64 INTEGER, d REAL, s TEXT, b INTEGER, bytes BLOB, n TEXT)")
        let none: String? = nil
        try db.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
            42, Int64.min, 2.5, "naïve ☃", true, [UInt8]([1, 2, 255]), none
        )
        let checked = try db.queryOne("SELECT * FROM t") { row throws -> Bool in
            #expect(try row.int(0) == 42)
            #expect(try row.int64(1) == Int64.min)
            #expect(try row.double(2) == 2.5)
            #expect(try row.string(3) == "naïve ☃")
            #expect(try row.bool(4))
            #expect(try row.blob(5) == [1, 2, 255])
            #expect(row.isNull(6))
            #expect(row.optionalString(6) == nil)
            #expect(row.optionalInt(6) == nil)
            #expect(row.optionalBlob(6) == nil)
            #expect(try row.string("s") == "naïve ☃")
            #expect(try row.int("I") == 42)
            #expect(row.columnNames == ["i", "i64", "d", "s", "b", "bytes", "n"])
            return true
        }
        #expect(checked == true)
    }

    @Test func readingNullAsNonOptionalThrowsInsteadOfCrashing() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        let error = try #require(throws: SQLiteError.self) {
            try db.queryOne("SELECT NULL AS title") { try $0.string(0) }
        }
        #expect(error.description.contains("title"))
        #expect(try db.queryOne("SELECT NULL") { $0.optionalString(0) } == .some(nil))
        #expect(throws: SQLiteError.self) { try db.queryOne("SELECT 1 AS a") { try $0.int("b") } }
    }

    @Test func textIsReadInPlaceAsSQLiteHoldsIt() throws {
        let directory = try TemporaryDirectory()
        let db = try SQLiteDatabase(path: directory.databasePath)
        let sql = "SELECT NULL, '', 'naïve', 42, x'', CAST(x'61FF' AS TEXT)"
        let checked = try db.queryOne(sql) { row throws -> Bool in
            #expect(row.withUnsafeOptionalText(0) { $0 == nil })
            #expect(throws: SQLiteError.self) { try row.withUnsafeText(0) { _ in } }
            // Empty text (or an empty blob) is an empty buffer, not NULL.
            #expect(try row.withUnsafeText(1) { $0.count } == 0)
            #expect(try row.withUnsafeText(4) { $0.count } == 0)
            #expect(try row.withUnsafeText(2) { Array($0) } == Array("naïve".utf8))
            #expect(try row.withUnsafeText(3) { Array($0) } == Array("42".utf8))
            // The bytes as stored, not checked; a String repairs them.
            #expect(try row.withUnsafeText(5) { Array($0) } == [0x61, 0xFF])
            #expect(try row.string(5) == "a\u{FFFD}")
            #expect(row.optionalString(1) == "")
            return true
        }
        #expect(checked == true)
    }

    @Test func namedParameters() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        try db.execute(
            "INSERT INTO v (id, value) VALUES (:id, :value)", named: [":id": .integer(7), "value": .text("x")])
        let statement = try db.prepare("SELECT value FROM v WHERE id = :id AND value = @value")
        try statement.bind(7, named: "id")
        try statement.bind("x", named: "@value")
        #expect(try statement.step())
        #expect(try statement.row.string(0) == "x")
        #expect(try !statement.step())
        #expect(throws: SQLiteError.self) { try statement.bind(1, named: "missing") }
        let rows = try db.query("SELECT value FROM v WHERE id = :id", named: ["id": .integer(7)]) {
            try $0.string(0)
        }
        #expect(rows == ["x"])
    }

    @Test func wrongArgumentCountThrows() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO v (id, value) VALUES (?, ?)", 1) }
    }

    @Test func cachedStatementIsReusedWithFreshBindings() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        for id in 1...100 {
            try db.execute("INSERT INTO v (id, value) VALUES (?, ?)", id, "row \(id)")
        }
        let sql = "SELECT value FROM v WHERE id = ?"
        let first = try db.cachedStatement(sql)
        let second = try db.cachedStatement(sql)
        #expect(first === second)
        for id in [5, 99, 1, 5] {
            #expect(try db.queryOne(sql, id) { try $0.string(0) } == "row \(id)")
        }
        // A binding left on a cached statement does not leak into its next use.
        let statement = try db.cachedStatement("SELECT ?")
        try statement.bind(.integer(1), at: 1)
        let reused = try db.cachedStatement("SELECT ?")
        #expect(try reused.step())
        #expect(reused.row.isNull(0))
    }

    @Test func nestedUseOfTheSameCachedSQLDoesNotDisturbTheOuterQuery() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        for id in 1...3 {
            try db.execute("INSERT INTO v (id, value) VALUES (?, ?)", id, id)
        }
        let sql = "SELECT id FROM v WHERE id >= ? ORDER BY id"
        let counts = try db.query(sql, 1) { outer in
            try db.query(sql, try outer.int(0)) { try $0.int(0) }.count
        }
        #expect(counts == [3, 2, 1])
    }

    @Test func streamingRows() throws {
        let directory = try TemporaryDirectory()
        let db = try Self.makeDatabase(directory)
        try db.transaction(.immediate) { db in
            for id in 1...1000 {
                try db.execute("INSERT INTO v (id, value) VALUES (?, ?)", id, id * 2)
            }
        }
        var sum = 0
        try db.forEachRow("SELECT value FROM v WHERE id > ?", 500) { sum += try $0.int(0) }
        #expect(sum == (501...1000).reduce(0) { $0 + $1 * 2 })
    }
}
