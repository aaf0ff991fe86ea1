import HTTPCore
import SQLiteStore

/// `GET /v1/areas`: every cooperation area of SPEC.md with how many records carry it.
struct AreaRoutes {
    let store: DatabasePool

    func register(in router: inout Router) {
        router.get("/v1/areas") { request in try list(request) }
    }

    /// In SPEC.md's order, each with the initiatives of that area and the meetings and
    /// statements that have it among their topics.
    func list(_ request: Request) throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        var counts: [String: [Int]] = [:]
        try store.read { db in
            try db.forEachRow(
                """
                SELECT 0, area, count(*) FROM initiatives GROUP BY area
                UNION ALL SELECT 1, topic, count(DISTINCT meeting_id) FROM meeting_topics GROUP BY topic
                UNION ALL SELECT 2, topic, count(DISTINCT statement_id) FROM statement_topics GROUP BY topic
                """, []
            ) { row in
                counts[try row.string(1), default: [0, 0, 0]][try row.int(0)] = try row.int(2)
            }
        }
        return Representation.page(RecordSchema.areas, nextCursor: nil, for: request) { area, json in
            let row = counts[area] ?? [0, 0, 0]
            json.beginObject()
            json.key("area")
            json.string(area)
            json.key("initiatives")
            json.int(row[0])
            json.key("meetings")
            json.int(row[1])
            json.key("statements")
            json.int(row[2])
            json.endObject()
        }
    }
}
