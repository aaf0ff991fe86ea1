import HTTPCore
import Storage

/// `GET /v1/search`: full-text search over meetings, statements, initiatives and actors.
struct SearchRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec

    func register(in router: inout Router) {
        router.get("/v1/search") { request in try search(request) }
    }

    func search(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["q", "types", "limit", "cursor"])
        let given: String?
        do { given = try query.single("q") } catch { throw SearchQuery.invalid("must be given once and not be empty") }
        guard let q = given else { throw SearchQuery.invalid("is required") }
        let match = try SearchQuery(q).match
        let names = try query.enumeration("types", accepted: SearchType.names)
        let types = names.isEmpty ? SearchType.allCases : SearchType.allCases.filter { names.contains($0.rawValue) }
        let limit = try query.limit()
        let scope = ["search", match, types.map(\.rawValue).joined(separator: ",")].joined(separator: "|")
        var after: SearchRepository.Key?
        if let cursor = try query.single("cursor") {
            let key = try cursors.decode(cursor, scope: scope, count: 4)
            guard let tier = Int(key[0]), tier == 0 || tier == 1, let score = Double(key[1]), let rank = Int(key[2]),
                let type = SearchType(rank: rank), let rowid = Int64(key[3])
            else { throw APIError.invalidParameter("cursor", "is not a cursor this server issued") }
            after = .init(tier: tier, score: score, type: type, rowid: rowid)
        }
        let (hits, next): ([SearchRepository.Hit], String?)
        do {
            (hits, next) = try store.read { db in
                var keys = try SearchRepository.page(match, types: types, after: after, limit: limit + 1, in: db)
                let next = ListFilters.trim(&keys, limit: limit) {
                    // Swift's description of a Double reads back as the same Double.
                    cursors.encode(
                        [String($0.tier), String($0.score), String($0.type.rank), String($0.rowid)], scope: scope)
                }
                return (try SearchRepository.hits(keys, match: match, in: db), next)
            }
        } catch let error as any DatabaseError where error.kind == .invalidQuery {
            // The grammar above should leave the engine nothing to reject; if it still does, the
            // fault is in the query, and the client hears how to write one, not a 500.
            throw SearchQuery.invalid("could not be read (\(error.message))")
        }
        return Representation.page(hits, nextCursor: next, for: request) { hit, json in
            json.beginObject()
            json.key("type")
            json.string(hit.key.type.rawValue)
            json.key("id")
            json.string(hit.id)
            json.key("label")
            json.string(hit.label)
            json.key("date")
            json.optionalString(hit.date)
            json.key("snippet")
            json.string(hit.snippet)
            json.endObject()
        }
    }
}
