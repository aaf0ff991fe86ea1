import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// The pair rows carry their record's actors and topics; since migration 9 the record's refresh,
/// not a trigger per list row, puts them there. After every kind of change of those lists, the
/// pair rows and their counters must equal what they derive from, computed afresh.
@Suite struct PairPayloadTests {
    private static func object(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(Array(json.utf8)) else {
            throw APIError.badRequest("not an object")
        }
        return object
    }

    @Test func pairRowsAndCountersFollowEveryChangeOfTheLists() throws {
        try withStore { pool, _ in
            _ = try RecordImport.apply(Array(GeneratedRecords.lines().joined(separator: "\n").utf8), to: pool)
            try DerivedState.expectConsistent(pool, after: "the import")
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
            try DerivedState.expectConsistent(pool, after: "new participants and topics")
            let topics = try pool.read {
                try $0.scalar("SELECT topics FROM meeting_pairs WHERE meeting_id = 'meet-1' LIMIT 1")?.string
            }
            #expect(topics == #"["trade","health"]"#)
            _ = try meetings.patch(id: "meet-2", patch: Self.object(#"{"topics": []}"#), ifMatch: nil)
            try DerivedState.expectConsistent(pool, after: "topics removed")
            try meetings.delete(id: "meet-5", ifMatch: nil)
            try DerivedState.expectConsistent(pool, after: "a meeting deleted")

            let statements = RecordService<Statements>(store: pool)
            _ = try statements.patch(
                id: "stmt-1", patch: Self.object(#"{"topics": ["climate"], "speaker_id": "person-9"}"#), ifMatch: nil)
            try DerivedState.expectConsistent(pool, after: "a statement's topics and speaker")

            let actors = RecordService<Actors>(store: pool)
            _ = try actors.patch(id: "person-3", patch: Self.object(#"{"country": "JP"}"#), ifMatch: nil)
            try DerivedState.expectConsistent(pool, after: "an actor's country")
        }
    }
}
