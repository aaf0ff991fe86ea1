import HTTPCore
import Storage

/// `GET /v1/meetings` and the single-meeting endpoints.
struct MeetingRoutes {
    let store: any DatabaseStore
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
        let csv = try CSVWriter.wanted(request, format: try query.single("format"))
        filter.paging = try DatedPaging(
            query, cursors: cursors,
            filters: [
                "meetings", filter.countries.joined(separator: ","), filter.actors.sorted().joined(separator: ","),
                filter.kinds.sorted().joined(separator: ","), filter.topics.sorted().joined(separator: ","),
            ])
        let (views, next) = try store.read { db -> ([MeetingView], String?) in
            var page = try MeetingRepository.page(filter, in: db)
            let next = filter.paging.trim(&page, cursors: cursors) { (id: $0.record.id, date: $0.record.content.date) }
            try MeetingRepository.loadChildren(of: &page, in: db)
            return (page, next)
        }
        if csv { return csvResponse(views, next: next, for: request) }
        return Representation.page(views, nextCursor: next, for: request, negotiated: true) { view, json in
            view.write(to: &json)
        }
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
                CSVWriter.list(c.participants.map { "\($0.actorID):\($0.role)" }),
                CSVWriter.list(view.countries), CSVWriter.list(c.topics), c.summary,
                CSVWriter.list(view.initiativeIDs), CSVWriter.list(c.sourceIDs), view.record.createdAt,
                view.record.updatedAt, String(view.record.version),
            ])
        }
        return CSVWriter.response(out, nextCursor: next, for: request)
    }
}
