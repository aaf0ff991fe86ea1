import HTTPCore
import Storage

/// `GET /v1/actors` and the single-actor endpoints.
struct ActorRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec
    let authenticator: Authenticator

    func register(in router: inout Router) {
        router.get("/v1/actors") { request in try list(request) }
        RecordRoutes<Actors>(service: RecordService(store: store), authenticator: authenticator).register(in: &router)
    }

    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(
            request, allowed: ["kind", "country", "q", "sort", "limit", "cursor", "format"])
        var filter = ActorRepository.Filter()
        filter.kinds = try query.enumeration("kind", accepted: ["person", "organization"])
        filter.countries = try ListFilters.countries(query)
        if let q = try ListFilters.query(query) {
            guard FullTextQuery.prefixPhrase(q) != nil else {
                throw APIError.invalidParameter("q", "must contain at least one word (letters or digits)")
            }
            filter.query = q
        }
        switch try query.single("sort") ?? "name" {
        case "name": filter.descending = false
        case "-name": filter.descending = true
        case let other: throw APIError.invalidParameter("sort", "unknown sort '\(other)'; accepted: name, -name")
        }
        filter.limit = try query.limit()
        let csv = try CSVWriter.wanted(request, format: try query.single("format"))
        let scope =
            "actors|\(filter.kinds.sorted())|\(filter.countries.sorted())|\(filter.query ?? "")|\(filter.descending)"
        if let cursor = try query.single("cursor") {
            let key = try cursors.decode(cursor, scope: scope, count: 2)
            filter.after = (name: key[0], id: key[1])
        }

        let (records, next) = try store.read { db -> ([StoredRecord<ActorContent>], String?) in
            var page = try ActorRepository.page(filter, in: db)
            let next = ListFilters.trim(&page, limit: filter.limit) { cursors.encode([$0.name, $0.id], scope: scope) }
            return (try ActorRepository.load(page.map(\.id), in: db), next)
        }
        if csv {
            var out = CSVWriter(header: [
                "id", "kind", "name", "aliases", "country", "description", "roles", "created_at",
                "updated_at", "version",
            ])
            for record in records {
                let c = record.content
                out.row([
                    record.id, c.kind, c.name, CSVWriter.list(c.aliases), c.country, c.description,
                    CSVWriter.list(c.roles.map(\.title)), record.createdAt, record.updatedAt,
                    String(record.version),
                ])
            }
            return CSVWriter.response(out, nextCursor: next, for: request)
        }
        let items = records.map { record -> [UInt8] in
            var json = JSONWriter(reservingCapacity: 384)
            record.write(to: &json)
            return json.bytes
        }
        return Representation.list(items, nextCursor: next, for: request, negotiated: true)
    }
}
