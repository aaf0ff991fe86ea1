import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// Migration 10 rewrites the CHECK constraints that name one of several values, in place, and
/// they must go on accepting and refusing exactly what they did.
@Suite("Migration 10: CHECK constraints without IN lists")
struct CheckMigrationTests {
    /// A table, an insert of a valid row but for the checked column (`?`), that column and its values.
    static let checked: [(table: String, insert: String, column: String, values: [String])] = [
        (
            "meetings",
            "INSERT INTO meetings (id, title, date, date_precision, kind, created_at, updated_at, version) "
                + "VALUES ('m-check', 't', '2024-01-01', 'day', ?, 'x', 'x', 1)", "kind", RecordSchema.kinds
        ),
        (
            "meetings",
            "INSERT INTO meetings (id, title, date, date_precision, kind, created_at, updated_at, version) "
                + "VALUES ('m-check', 't', '2024-01-01', ?, 'call', 'x', 'x', 1)", "date_precision",
            RecordSchema.precisions
        ),
        (
            "meeting_participants",
            "INSERT INTO meeting_participants (meeting_id, position, actor_id, role) VALUES ('m-base', 9, 'a-base', ?)",
            "role", RecordSchema.roles
        ),
        (
            "meeting_topics", "INSERT INTO meeting_topics (meeting_id, position, topic) VALUES ('m-base', 9, ?)",
            "topic", RecordSchema.areas
        ),
    ]

    /// A meeting and an actor the rows of `checked` can refer to.
    static func seed(_ db: SQLiteDatabase) throws {
        try db.execute(
            """
            INSERT INTO actors (id, kind, name, country, created_at, updated_at, version)
            VALUES ('a-base', 'person', 'A', 'FR', 'x', 'x', 1);
            INSERT INTO meetings (id, title, date, date_precision, kind, created_at, updated_at, version)
            VALUES ('m-base', 't', '2024-01-01', 'day', 'call', 'x', 'x', 1);
            """)
    }

    @Test func noCheckUsesAnINListOfMoreThanTwoValues() throws {
        try withStore { pool, _ in
            let definitions = try pool.read { db in
                try db.query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL", []) {
                    try $0.string(0)
                }
            }
            for definition in definitions {
                for (column, values) in [
                    ("kind", RecordSchema.kinds), ("role", RecordSchema.roles), ("topic", RecordSchema.areas),
                    ("area", RecordSchema.areas), ("status", RecordSchema.statuses),
                    ("channel", RecordSchema.channels), ("date_precision", RecordSchema.precisions),
                ] {
                    #expect(!definition.contains(RecordSchema.oneOf(column, values)))
                }
            }
            #expect(definitions.contains { $0.contains("CHECK (\(RecordSchema.anyOf("role", RecordSchema.roles)))") })
        }
    }

    @Test func theConstraintsAcceptEachOfTheirValues() throws {
        try withStore { pool, _ in
            try pool.writeAlone { db in
                try Self.seed(db)
                for check in Self.checked {
                    for value in check.values {
                        do {
                            try db.transaction { db in
                                try db.execute(check.insert, [.text(value)])
                                // Undone, so that the next value can take the same key.
                                throw Undo()
                            }
                        } catch is Undo {}
                    }
                }
            }
        }
    }

    @Test func theConstraintsRefuseOtherValues() throws {
        try withStore { pool, _ in
            try pool.writeAlone { db in
                try Self.seed(db)
                for check in Self.checked {
                    for value in ["", "Call", "calls", "other ", "'"] where !check.values.contains(value) {
                        do {
                            try db.execute(check.insert, [.text(value)])
                            Issue.record("\(check.table).\(check.column) accepted '\(value)'")
                        } catch let error as SQLiteError where error.isConstraint {
                            // Refused, as it must be.
                        }
                    }
                }
            }
        }
    }

    @Test func migrationOverExistingRecordsKeepsThemAndTheirDerivedTables() throws {
        let sample = try BundledResource.data("sample.ndjson")
        let all = Schema.sqlite.migrations
        let upToNine = Migrator(all.filter { $0.version < 10 })
        let (after, before) = try withStore { _, directory in
            let pool = try SQLitePool(path: directory.file("upgraded.sqlite"))
            defer { pool.close() }
            _ = try upToNine.migrate(pool)
            _ = try importIntoOldSchema(Array(sample), to: pool)
            let before = try RelationMigrationTests.snapshot(pool)
            let applied = try Schema.migrate(pool)
            #expect(applied.map(\.version) == all.map(\.version).filter { $0 >= 10 })
            #expect(try pool.integrityCheck() == ["ok"])
            return (try RelationMigrationTests.snapshot(pool), before)
        }
        #expect(after.count > 50)
        #expect(after == before)
    }
}

/// Thrown to roll a savepoint back on purpose.
private struct Undo: Error {}
