import HTTPCore
import SQLiteStore

/// `GET /v1/meetings` and the single-meeting endpoints.
struct MeetingRoutes {
    let store: DatabasePool
    let cursors: CursorCodec
    let authenticator: Authenticator

    func register(in router: inout Router) {
        router.get("/v1/meetings") { request in try list(request) }
        RecordRoutes<Meetings>(service: RecordService(store: store), authenticator: authenticator).register(in: &router)
    }

    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(
            request,
            allowed: ["country", "actor", "kind", "topic", "from", "to", "q", "sort", "limit", "cursor", "format"])
        var filter = MeetingRepository.Filter()
        filter.countries = try ListFilters.countries(query)
        filter.actors = try query.list("actor").map { id in
            guard Rules.isValidID(id) else { throw APIError.invalidParameter("actor", "'\(id)' is not an actor id") }
            return id
        }
        filter.kinds = try query.enumeration("kind", accepted: RecordSchema.kinds)
        filter.topics = try query.enumeration("topic", accepted: RecordSchema.areas)
        (filter.from, filter.to) = try ListFilters.dateRange(query)
        filter.query = try ListFilters.text(query)
        filter.ascending = try ListFilters.dateOrderIsAscending(query)
        filter.limit = try query.limit()
        let csv = try CSVWriter.wanted(request, format: try query.single("format"))
        let scope = [
            "meetings", filter.countries.joined(separator: ","), filter.actors.sorted().joined(separator: ","),
            filter.kinds.sorted().joined(separator: ","), filter.topics.sorted().joined(separator: ","),
            filter.from ?? "", filter.to ?? "", filter.query ?? "", String(filter.ascending),
        ].joined(separator: "|")
        if let cursor = try query.single("cursor") {
            let key = try cursors.decode(cursor, scope: scope, count: 2)
            filter.after = (date: key[0], id: key[1])
        }
        let (views, next) = try store.read { db -> ([MeetingView], String?) in
            var page = try MeetingRepository.page(filter, in: db)
            let next = ListFilters.trim(&page, limit: filter.limit) { cursors.encode([$0.date, $0.id], scope: scope) }
            return (try MeetingRepository.load(page.map(\.id), in: db), next)
        }
        if csv { return csvResponse(views, next: next, for: request) }
        return Representation.page(views, nextCursor: next, for: request) { view, json in view.write(to: &json) }
    }

    private func csvResponse(_ views: [MeetingView], next: String?, for request: Request) -> Response {
        var out = CSVWriter(header: [
            "id", "title", "date", "date_precision", "kind", "location_city", "location_country", "participants",
            "countries", "topics", "summary", "initiative_ids", "source_ids", "created_at", "updated_at", "version",
        ])
        for view in views {
            let c = view.record.content
            out.row([
                view.record.id, c.title, c.date, c.datePrecision, c.kind, c.locationCity, c.locationCountry,
                c.participants.map { "\($0.actorID):\($0.role)" }.joined(separator: ";"),
                view.countries.joined(separator: ";"), c.topics.joined(separator: ";"), c.summary,
                c.initiativeIDs.joined(separator: ";"), c.sourceIDs.joined(separator: ";"), view.record.createdAt,
                view.record.updatedAt, String(view.record.version),
            ])
        }
        return CSVWriter.response(out, nextCursor: next, for: request)
    }
}
