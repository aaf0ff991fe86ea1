import HTTPCore
import Storage

/// `GET /v1/countries` and `GET /v1/countries/{code}`.
struct CountryRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec
    private let countries = CountryRepository()

    static let regions = ["Africa", "Americas", "Asia", "Europe", "Oceania"]

    func register(in router: inout Router) {
        router.get("/v1/countries") { request in try list(request) }
        router.get("/v1/countries/{code}") { request in try get(request) }
    }

    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(request, allowed: ["region", "q", "limit", "cursor"])
        var filter = CountryRepository.Filter(limit: try query.limit())
        if let region = try query.single("region") {
            // Regions of the UN M49 scheme, matched case-insensitively.
            guard let match = Self.regions.first(where: { $0.lowercased() == region.lowercased() }) else {
                throw APIError.invalidParameter(
                    "region", "unknown region '\(region)'; accepted: \(Self.regions.joined(separator: ", "))")
            }
            filter.region = match
        }
        filter.query = try ListFilters.query(query)
        let scope = "countries|\(filter.region ?? "")|\(filter.query ?? "")"
        if let cursor = try query.single("cursor") {
            filter.after = try cursors.decode(cursor, scope: scope, count: 1)[0]
        }
        var rows = try store.read { try countries.list(filter, in: $0) }
        let next = ListFilters.trim(&rows, limit: filter.limit) { cursors.encode([$0.code], scope: scope) }
        let items = rows.map { country -> [UInt8] in
            var json = JSONWriter(reservingCapacity: 192)
            country.write(to: &json)
            return json.bytes
        }
        return Representation.list(items, nextCursor: next, for: request)
    }

    func get(_ request: Request) throws -> Response {
        let code = request.pathParameters["code"] ?? ""
        _ = try QueryParameters(request, allowed: [])
        guard code.utf8.count == 2, let country = try store.read({ try countries.find(code, in: $0) }) else {
            throw HTTPError(.notFound, detail: "No country has the ISO 3166-1 alpha-2 code '\(code)'.")
        }
        var json = JSONWriter(reservingCapacity: 192)
        country.write(to: &json)
        return Representation.json(json.bytes, for: request)
    }
}
