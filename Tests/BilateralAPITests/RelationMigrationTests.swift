import Foundation
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// Migration 6 on a database that already holds records must build its pair tables, counters
/// and actor index exactly as the triggers would have, had it been there all along.
@Suite("Migration 6 over existing records")
struct RelationMigrationTests {
    static let derivedTables = [
        "SELECT a, b, date, meeting_id, actors, topics FROM meeting_pairs ORDER BY 1, 2, 3, 4",
        "SELECT a, b, date, statement_id, actors, topics FROM statement_pairs ORDER BY 1, 2, 3, 4",
        "SELECT a, b, initiative_id FROM initiative_pairs ORDER BY 1, 2, 3",
        "SELECT a, b, topic, records FROM pair_topics WHERE records > 0 ORDER BY 1, 2, 3",
        "SELECT a, b, actor_id, meetings, statements FROM pair_actors WHERE meetings + statements > 0 ORDER BY 1, 2, 3",
        "SELECT * FROM relation_counts WHERE meetings + statements + initiatives > 0 ORDER BY 1, 2",
        "SELECT * FROM area_counts ORDER BY 1",
        "SELECT rowid, name, aliases FROM actors_fts ORDER BY 1",
    ]

    static func snapshot(_ pool: SQLitePool) throws -> [String] {
        try pool.read { db in
            try derivedTables.flatMap { sql in
                try db.query(sql, []) { row in row.values.map { "\($0)" }.joined(separator: "|") }
            }
        }
    }

    @Test func backfillEqualsWhatTheTriggersWrite() throws {
        let generated = RelationGeneratedTests.generate().lines.joined(separator: "\n")
        let sample = try BundledResource.data("sample.ndjson") + Array(("\n" + generated).utf8)
        let all = Schema.sqlite.migrations
        let upToFive = Migrator(all.filter { $0.version < 6 })
        let backfilled = try withStore { _, directory in
            let pool = try SQLitePool(path: directory.file("upgraded.sqlite"))
            defer { pool.close() }
            _ = try upToFive.migrate(pool)
            _ = try importIntoOldSchema(Array(sample), to: pool)
            _ = try Schema.migrate(pool)
            return try Self.snapshot(pool)
        }
        let triggered = try withStore { pool, _ in
            _ = try RecordImport.apply(Array(sample), to: pool)
            return try Self.snapshot(pool)
        }
        #expect(backfilled.count > 400)
        #expect(backfilled == triggered)
    }
}
