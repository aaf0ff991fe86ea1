import HTTPCore
import Storage

/// `GET /v1/statements` and the single-statement endpoints.
struct StatementRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec
    let authenticator: Authenticator

    func register(in router: inout Router) {
        router.get("/v1/statements") { request in try list(request) }
        RecordRoutes<Statements>(service: RecordService(store: store), authenticator: authenticator).register(
            in: &router)
    }

    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(
            request,
            allowed: [
                "speaker", "country", "channel", "meeting", "topic", "from", "to", "q", "sort", "limit", "cursor",
                "format",
            ])
        var filter = StatementRepository.Filter()
        filter.speakers = try query.list("speaker").map { id in
            guard Rules.isValidID(id) else { throw APIError.invalidParameter("speaker", "'\(id)' is not an actor id") }
            return id
        }
        filter.countries = try ListFilters.countries(query)
        filter.channels = try query.enumeration("channel", accepted: RecordSchema.channels)
        if let meeting = try query.single("meeting") {
            guard Rules.isValidID(meeting) else {
                throw APIError.invalidParameter("meeting", "'\(meeting)' is not a meeting id")
            }
            filter.meeting = meeting
        }
        filter.topics = try query.enumeration("topic", accepted: RecordSchema.areas)
        let csv = try CSVWriter.wanted(request, format: try query.single("format"))
        filter.paging = try DatedPaging(
            query, cursors: cursors,
            filters: [
                "statements", filter.speakers.sorted().joined(separator: ","), filter.countries.joined(separator: ","),
                filter.channels.sorted().joined(separator: ","), filter.meeting ?? "",
                filter.topics.sorted().joined(separator: ","),
            ])
        let (views, next) = try store.read { db -> ([StatementView], String?) in
            var page = try StatementRepository.page(filter, in: db)
            let next = filter.paging.trim(&page, cursors: cursors)
            return (try StatementRepository.load(page.map(\.id), in: db), next)
        }
        if csv {
            var out = CSVWriter(header: [
                "id", "speaker_id", "speaker_name", "speaker_country", "date", "date_precision", "channel", "platform",
                "text", "paraphrase", "language", "meeting_id", "about", "countries", "topics", "source_ids",
                "created_at", "updated_at", "version",
            ])
            for view in views {
                let c = view.record.content
                out.row([
                    view.record.id, c.speakerID, view.speakerName, view.speakerCountry, c.date, c.datePrecision,
                    c.channel, c.platform, c.text, c.paraphrase ? "true" : "false", c.language, c.meetingID,
                    CSVWriter.list(c.about), CSVWriter.list(view.countries),
                    CSVWriter.list(c.topics), CSVWriter.list(c.sourceIDs), view.record.createdAt,
                    view.record.updatedAt, String(view.record.version),
                ])
            }
            return CSVWriter.response(out, nextCursor: next, for: request)
        }
        return Representation.page(views, nextCursor: next, for: request, negotiated: true) { item, json in
            item.write(to: &json)
        }
    }
}
