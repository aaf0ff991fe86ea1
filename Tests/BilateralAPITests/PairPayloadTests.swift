import SQLiteStore
import Testing

@testable import BilateralAPI

/// The pair rows carry their record's actors and topics; since migration 9 the record's refresh,
/// not a trigger per list row, puts them there. After every kind of change of those lists, the
/// pair rows and their counters must equal what they derive from, computed afresh.
@Suite struct PairPayloadTests {
    /// The pair rows as migration 6's backfill computes them from the derived countries.
    private static let expectedPairs = """
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
    private static let storedPairs = """
        SELECT a, b, date, meeting_id, actors, topics FROM meeting_pairs
        UNION ALL SELECT a, b, date, statement_id, actors, topics FROM statement_pairs
        ORDER BY 1, 2, 3, 4
        """
    /// The counters recomputed from the pair rows, and as stored.
    private static let expectedActors = """
        SELECT a, b, value, sum(m), sum(s) FROM (
            SELECT a, b, j.value, 1 AS m, 0 AS s FROM meeting_pairs, json_each(actors) j
            UNION ALL SELECT a, b, j.value, 0, 1 FROM statement_pairs, json_each(actors) j)
        GROUP BY a, b, value ORDER BY 1, 2, 3
        """
    private static let storedActors = """
        SELECT a, b, actor_id, meetings, statements FROM pair_actors WHERE meetings + statements > 0
        ORDER BY 1, 2, 3
        """
    private static let expectedTopics = """
        SELECT a, b, value, count(*) FROM (
            SELECT a, b, j.value FROM meeting_pairs, json_each(topics) j
            UNION ALL SELECT a, b, j.value FROM statement_pairs, json_each(topics) j)
        GROUP BY a, b, value ORDER BY 1, 2, 3
        """
    private static let storedTopics = "SELECT a, b, topic, records FROM pair_topics WHERE records > 0 ORDER BY 1, 2, 3"

    private static func rows(_ sql: String, in pool: DatabasePool) throws -> [String] {
        try pool.read { db in
            try db.query(sql, []) { row in row.values.map { "\($0)" }.joined(separator: "|") }
        }
    }

    private static func expectConsistent(_ pool: DatabasePool, after change: String) throws {
        #expect(try rows(storedPairs, in: pool) == rows(expectedPairs, in: pool), "pair rows after \(change)")
        #expect(try rows(storedActors, in: pool) == rows(expectedActors, in: pool), "pair actors after \(change)")
        #expect(try rows(storedTopics, in: pool) == rows(expectedTopics, in: pool), "pair topics after \(change)")
    }

    private static func object(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(Array(json.utf8)) else {
            throw APIError.badRequest("not an object")
        }
        return object
    }

    @Test func pairRowsAndCountersFollowEveryChangeOfTheLists() throws {
        try withStore { pool, _ in
            _ = try RecordImport.apply(Array(GeneratedRecords.lines().joined(separator: "\n").utf8), to: pool)
            try Self.expectConsistent(pool, after: "the import")
            let pairs = try pool.read { try $0.scalar("SELECT count(*) FROM meeting_pairs")?.int ?? 0 }
            #expect(pairs > 50)

            let meetings = RecordService<Meetings>(store: pool)
            _ = try meetings.patch(
                id: "meet-1",
                patch: Self.object(
                    #"""
                    {"participants": [{"actor_id": "person-3", "role": "host"},
                                      {"actor_id": "person-40", "role": "guest"},
                                      {"actor_id": "person-77", "role": "observer"}],
                     "topics": ["trade", "health"]}
                    """#), ifMatch: nil)
            try Self.expectConsistent(pool, after: "new participants and topics")
            let topics = try pool.read {
                try $0.scalar("SELECT topics FROM meeting_pairs WHERE meeting_id = 'meet-1' LIMIT 1")?.string
            }
            #expect(topics == #"["trade","health"]"#)
            _ = try meetings.patch(id: "meet-2", patch: Self.object(#"{"topics": []}"#), ifMatch: nil)
            try Self.expectConsistent(pool, after: "topics removed")
            try meetings.delete(id: "meet-5", ifMatch: nil)
            try Self.expectConsistent(pool, after: "a meeting deleted")

            let statements = RecordService<Statements>(store: pool)
            _ = try statements.patch(
                id: "stmt-1", patch: Self.object(#"{"topics": ["climate"], "speaker_id": "person-9"}"#), ifMatch: nil)
            try Self.expectConsistent(pool, after: "a statement's topics and speaker")

            let actors = RecordService<Actors>(store: pool)
            _ = try actors.patch(id: "person-3", patch: Self.object(#"{"country": "JP"}"#), ifMatch: nil)
            try Self.expectConsistent(pool, after: "an actor's country")
        }
    }
}
