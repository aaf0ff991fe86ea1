import Foundation
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// The full-text indexes are filled from `text_search_queue` before each commit: whatever a
/// transaction does to a row, the index ends up holding its final text, exactly once.
@Suite struct TextSearchQueueTests {
    private static func matches(_ word: String, in pool: SQLitePool) throws -> [String] {
        try pool.read { db in
            try db.query(
                """
                SELECT m.id FROM meetings_fts f JOIN meetings m ON m.rowid = f.rowid
                WHERE meetings_fts MATCH ? ORDER BY m.id
                """, [.text(word)]
            ) { try $0.string(0) }
        }
    }

    /// FTS5's own check that an external-content index agrees with its table.
    private static func checkIndexes(_ pool: SQLitePool) throws {
        try pool.write { db in
            for index in ["meetings_fts", "statements_fts", "initiatives_fts"] {
                try db.execute("INSERT INTO \(index) (\(index)) VALUES ('integrity-check')", [])
            }
        }
    }

    private static let meeting = "austin-manet-2024-06-04"

    @Test func severalChangesToARowInOneTransactionLeaveOnlyItsLastText() throws {
        try withStore { pool, _ in
            _ = try SampleData.loadIfEmpty(into: pool)
            try pool.write { db in
                try db.execute("UPDATE meetings SET title = 'Walrus talks' WHERE id = ?", [.text(Self.meeting)])
                try db.execute("UPDATE meetings SET title = 'Narwhal talks' WHERE id = ?", [.text(Self.meeting)])
                #expect(
                    try db.scalar("SELECT count(*) FROM text_search_queue WHERE target = 'meetings_fts'")?.int == 1)
            }
            #expect(try Self.matches("walrus", in: pool).isEmpty)
            #expect(try Self.matches("narwhal", in: pool) == [Self.meeting])
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM text_search_queue")?.int } == 0)
            try Self.checkIndexes(pool)

            // A write that rolls back leaves the index as it was.
            struct Undo: Error {}
            #expect(throws: Undo.self) {
                try pool.write { db in
                    try db.execute("UPDATE meetings SET title = 'Dugong talks' WHERE id = ?", [.text(Self.meeting)])
                    throw Undo()
                }
            }
            #expect(try Self.matches("dugong", in: pool).isEmpty)
            #expect(try Self.matches("narwhal", in: pool) == [Self.meeting])
            try Self.checkIndexes(pool)
        }
    }

    @Test func aRowDeletedAndItsRowidReusedInOneTransactionIsIndexedOnce() throws {
        try withStore { pool, _ in
            _ = try SampleData.loadIfEmpty(into: pool)
            try pool.writeAlone { db in
                let rowid = try db.scalar("SELECT max(rowid) FROM meetings")?.int ?? 0
                let id = try db.scalar("SELECT id FROM meetings WHERE rowid = ?", rowid)?.string ?? ""
                try db.execute("PRAGMA defer_foreign_keys = ON")
                try db.execute(
                    """
                    CREATE TEMP TABLE kept AS SELECT * FROM meetings WHERE id = '\(id)';
                    DELETE FROM meetings WHERE id = '\(id)';
                    INSERT INTO meetings SELECT * FROM kept;
                    UPDATE meetings SET summary = 'Manatee' WHERE id = '\(id)';
                    DROP TABLE kept;
                    """)
                #expect(try db.scalar("SELECT rowid FROM meetings WHERE id = ?", id)?.int == rowid)
            }
            #expect(try Self.matches("manatee", in: pool).count == 1)
            try Self.checkIndexes(pool)
        }
    }

    @Test func rowsQueuedByAnotherProgramAreIndexedByTheNextWrite() throws {
        try withStore { pool, directory in
            _ = try SampleData.loadIfEmpty(into: pool)
            // Another program (the sqlite3 shell, say) writes the file: its triggers queue the row,
            // but nothing of ours flushes the queue in its transaction.
            let other = try SQLiteDatabase(path: directory.databasePath)
            try other.execute("UPDATE meetings SET title = 'Beluga talks' WHERE id = '\(Self.meeting)'")
            other.close()
            #expect(try Self.matches("beluga", in: pool).isEmpty)

            try pool.write { db in try db.execute("UPDATE api_keys SET name = name WHERE 0", []) }
            #expect(try Self.matches("beluga", in: pool) == [Self.meeting])
            try Self.checkIndexes(pool)
        }
    }

    /// Segments of `index`: FTS5 writes one at the end of each statement that adds to it.
    private static func segments(of index: String, in pool: SQLitePool) throws -> Int {
        try pool.read { try $0.scalar("SELECT count(DISTINCT segid) FROM \(index)_idx")?.int ?? 0 }
    }

    @Test func smallWritesMergeTheirSegmentsAsTheyGo() throws {
        try withStore { pool, _ in
            _ = try SampleData.loadIfEmpty(into: pool)
            for index in TextSearchMerging.indexes {
                let automerge = try pool.read {
                    try $0.scalar("SELECT v FROM \(index)_config WHERE k = 'automerge'")?.int
                }
                #expect(automerge == 0, "\(index) merges in bursts of its own")
            }
            // 200 commits, two segments each (the flush deletes the old title, then adds the new
            // one). Without merging, FTS5's crisis merges alone would let 15 segments gather on a
            // level before merging them.
            for round in 0..<200 {
                try pool.write { db in
                    try db.execute(
                        "UPDATE meetings SET title = ? WHERE id = ?", [.text("Talks \(round)"), .text(Self.meeting)])
                }
            }
            #expect(try Self.segments(of: "meetings_fts", in: pool) <= 8)
            #expect(try Self.matches("199", in: pool) == [Self.meeting])
            #expect(try Self.matches("198", in: pool).isEmpty)
            try Self.checkIndexes(pool)
        }
    }

    @Test func aBulkImportLeavesOptimizedIndexesThatAgreeWithTheirTables() throws {
        try withStore { pool, _ in
            let lines = GeneratedRecords.lines(meetings: TextSearchQueue.bulkRows + 200)
            _ = try RecordImport.apply(Array(lines.joined(separator: "\n").utf8), to: pool)
            try Self.checkIndexes(pool)
            try pool.read { db in
                let fts = try db.scalar("SELECT count(*) FROM meetings_fts WHERE meetings_fts MATCH 'talks'")?.int
                let like = try db.scalar(
                    "SELECT count(*) FROM meetings WHERE title LIKE '%talks%' OR summary LIKE '%talks%'")?.int
                #expect(fts == like)
                #expect((fts ?? 0) > 0)
            }
            // Later small writes still reach the index.
            try pool.write { db in
                try db.execute("UPDATE meetings SET title = 'Orca talks' WHERE rowid = 1", [])
            }
            #expect(try Self.matches("orca", in: pool).count == 1)
            try Self.checkIndexes(pool)
        }
    }
}
