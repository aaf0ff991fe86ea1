import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// Every table derived from the records — derived countries, pair rows, pair counters, relation
/// counts — compared with what it should hold, computed afresh from what it derives from.
enum DerivedState {
    /// (what, stored, expected): two queries that must give the same rows.
    static let comparisons: [(String, String, String)] = [
        (
            "meeting countries",
            "SELECT meeting_id, country, date FROM meeting_countries ORDER BY 1, 2",
            """
            SELECT DISTINCT p.meeting_id, a.country, m.date
            FROM meeting_participants p JOIN actors a ON a.id = p.actor_id JOIN meetings m ON m.id = p.meeting_id
            WHERE a.country IS NOT NULL ORDER BY 1, 2
            """
        ),
        (
            "statement countries",
            "SELECT statement_id, country, date FROM statement_countries ORDER BY 1, 2",
            """
            SELECT s.id, a.country, s.date FROM statements s JOIN actors a ON a.id = s.speaker_id
            WHERE a.country IS NOT NULL
            UNION SELECT s.id, b.country, s.date FROM statements s JOIN statement_about b ON b.statement_id = s.id
            UNION SELECT s.id, mc.country, s.date FROM statements s JOIN meeting_countries mc ON mc.meeting_id = s.meeting_id
            ORDER BY 1, 2
            """
        ),
        (
            "pair rows",
            """
            SELECT a, b, date, meeting_id, actors, topics FROM meeting_pairs
            UNION ALL SELECT a, b, date, statement_id, actors, topics FROM statement_pairs
            ORDER BY 1, 2, 3, 4
            """,
            // As migration 6's backfill computes them from the derived countries.
            """
            SELECT x.country, y.country, x.date, x.meeting_id,
                \(RelationSchema.of(RelationSchema.payloadsOfMigration6.meetingActors, "x.meeting_id")),
                \(RelationSchema.of(RelationSchema.payloadsOfMigration6.meetingTopics, "x.meeting_id"))
            FROM meeting_countries x JOIN meeting_countries y ON y.meeting_id = x.meeting_id AND y.country > x.country
            UNION ALL
            SELECT x.country, y.country, x.date, x.statement_id,
                \(RelationSchema.of(RelationSchema.payloadsOfMigration6.statementSpeaker, "x.statement_id")),
                \(RelationSchema.of(RelationSchema.payloadsOfMigration6.statementTopics, "x.statement_id"))
            FROM statement_countries x JOIN statement_countries y
                ON y.statement_id = x.statement_id AND y.country > x.country
            ORDER BY 1, 2, 3, 4
            """
        ),
        (
            "pair actors",
            """
            SELECT a, b, actor_id, meetings, statements FROM pair_actors WHERE meetings + statements > 0
            ORDER BY 1, 2, 3
            """,
            """
            SELECT a, b, value, sum(m), sum(s) FROM (
                SELECT a, b, j.value, 1 AS m, 0 AS s FROM meeting_pairs, json_each(actors) j
                UNION ALL SELECT a, b, j.value, 0, 1 FROM statement_pairs, json_each(actors) j)
            GROUP BY a, b, value ORDER BY 1, 2, 3
            """
        ),
        (
            "pair topics",
            "SELECT a, b, topic, records FROM pair_topics WHERE records > 0 ORDER BY 1, 2, 3",
            """
            SELECT a, b, value, count(*) FROM (
                SELECT a, b, j.value FROM meeting_pairs, json_each(topics) j
                UNION ALL SELECT a, b, j.value FROM statement_pairs, json_each(topics) j)
            GROUP BY a, b, value ORDER BY 1, 2, 3
            """
        ),
        (
            "relation counts",
            "SELECT a, b, meetings, statements FROM relation_counts WHERE meetings + statements > 0 ORDER BY 1, 2",
            """
            SELECT a, b, sum(m), sum(s) FROM (
                SELECT a, b, 1 AS m, 0 AS s FROM meeting_pairs UNION ALL SELECT a, b, 0, 1 FROM statement_pairs)
            GROUP BY a, b ORDER BY 1, 2
            """
        ),
    ]

    static func rows(_ sql: String, in pool: SQLitePool) throws -> [String] {
        try pool.read { db in
            try db.query(sql, []) { row in row.values.map { "\($0)" }.joined(separator: "|") }
        }
    }

    /// Expects every derived table to hold what it derives from.
    static func expectConsistent(
        _ pool: SQLitePool, after change: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for (what, stored, expected) in comparisons {
            let (storedRows, expectedRows) = (try rows(stored, in: pool), try rows(expected, in: pool))
            #expect(storedRows == expectedRows, "\(what) after \(change)", sourceLocation: sourceLocation)
        }
    }
}
