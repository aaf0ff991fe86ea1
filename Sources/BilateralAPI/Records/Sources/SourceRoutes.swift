import HTTPCore
import Storage

/// `GET /v1/sources` and the single-source endpoints.
struct SourceRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec
    let authenticator: Authenticator

    func register(in router: inout Router) {
        router.get("/v1/sources") { request in try list(request) }
        RecordRoutes<Sources>(service: RecordService(store: store), authenticator: authenticator).register(in: &router)
    }

    /// Sources in id order; `q` matches a word start of the title or publisher.
    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["q", "limit", "cursor"])
        let limit = try query.limit()
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        let q = try ListFilters.query(query)
        if let q {
            let escaped = CountryRepository.escapeLike(q)
            let dialect = SQLDialect(backend: store.backend)
            conditions.append(
                "(\(dialect.caselessLike("title", "?1")) OR \(dialect.caselessLike("title", "?2"))"
                    + " OR \(dialect.caselessLike("publisher", "?1")) OR \(dialect.caselessLike("publisher", "?2")))")
            arguments += [.text(escaped + "%"), .text("% " + escaped + "%")]
        }
        let scope = "sources|\(q ?? "")"
        if let cursor = try query.single("cursor") {
            conditions.append("id > ?\(arguments.count + 1)")
            arguments.append(.text(try cursors.decode(cursor, scope: scope, count: 1)[0]))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(.integer(Int64(limit + 1)))
        var records = try store.read { db in
            try db.query(
                """
                SELECT id, title, url, publisher, published_on, author, created_at, updated_at, version FROM sources
                \(whereClause) ORDER BY id LIMIT ?\(arguments.count)
                """, arguments, row: Sources.record)
        }
        let next = ListFilters.trim(&records, limit: limit) { cursors.encode([$0.id], scope: scope) }
        let items = records.map { record -> [UInt8] in
            var json = JSONWriter(reservingCapacity: 256)
            Sources.write(record, to: &json)
            return json.bytes
        }
        return Representation.list(items, nextCursor: next, for: request)
    }
}
