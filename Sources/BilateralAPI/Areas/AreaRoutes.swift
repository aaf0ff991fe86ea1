import HTTPCore
import Storage

/// `GET /v1/areas`: every cooperation area of the contract (`openapi.yaml`) with how many records carry it.
struct AreaRoutes {
    let store: any DatabaseStore

    func register(in router: inout Router) {
        router.get("/v1/areas") { request in try list(request) }
    }

    /// In the contract's order, each with the initiatives of that area and the meetings and
    /// statements that have it among their topics.
    func list(_ request: Request) throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        var counts: [String: [Int]] = [:]
        try store.read { db in
            // Kept by triggers (migration 6): a count of every record would group 100,000s of rows.
            try db.forEachRow("SELECT area, initiatives, meetings, statements FROM area_counts", []) { row in
                counts[try row.string(0)] = [try row.int(1), try row.int(2), try row.int(3)]
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
