import HTTPCore
import Storage

/// `GET /v1/initiatives`, the single-initiative endpoints, and `POST .../status-changes`.
struct InitiativeRoutes {
    let store: any DatabaseStore
    let cursors: CursorCodec
    let authenticator: Authenticator

    private var service: RecordService<Initiatives> { RecordService(store: store) }

    func register(in router: inout Router) {
        router.get("/v1/initiatives") { request in try list(request) }
        router.post(
            "/v1/initiatives/{id}/status-changes",
            admit: authenticator.admission(.write, mediaTypes: ["application/json"])
        ) { request in
            try appendStatus(request)
        }
        RecordRoutes<Initiatives>(service: service, authenticator: authenticator).register(in: &router)
    }

    /// Appends one status-history entry (`date` defaults to today, UTC) and answers 201 with the initiative.
    func appendStatus(_ request: Request) throws -> Response {
        try authenticator.require(.write, for: request)
        _ = try QueryParameters(request, allowed: [])
        let id = request.pathParameters["id"] ?? ""
        guard Rules.isValidID(id) else { throw APIError.notFound(Initiatives.singular, id) }
        var errors = FieldErrors()
        var reader = ObjectReader(try RequestBody.object(of: request))
        let change = Initiatives.decodeChange(&reader, &errors, defaultDate: String(WallClock.nowRFC3339().prefix(10)))
        reader.reportUnknown(&errors)
        try errors.throwIfAny()
        guard let change else { throw APIError.validation([.init(field: "status", message: "is required")]) }
        let written = try service.modify(
            id: id, ifMatch: request.headers["If-Match"], idempotency: try IdempotencyKey.of(request)
        ) { content in
            content.statusHistory.append(change)
        }
        var headers = HTTPHeaders()
        headers.add("ETag", ETag.of(written.representation))
        headers.add("Location", written.location)
        return Response(
            status: .created, contentType: "application/json", body: written.representation, headers: headers)
    }

    func list(_ request: Request) throws -> Response {
        let query = try QueryParameters(
            request, allowed: ["country", "area", "status", "from", "to", "q", "sort", "limit", "cursor", "format"])
        var filter = InitiativeRepository.Filter()
        filter.countries = try ListFilters.countries(query)
        filter.areas = try query.enumeration("area", accepted: RecordSchema.areas)
        filter.statuses = try query.enumeration("status", accepted: RecordSchema.statuses)
        let csv = try CSVWriter.wanted(request, format: try query.single("format"))
        filter.paging = try DatedPaging(
            query, cursors: cursors,
            filters: [
                "initiatives", filter.countries.joined(separator: ","), filter.areas.sorted().joined(separator: ","),
                filter.statuses.sorted().joined(separator: ","),
            ])
        let (records, next) = try store.read { db -> ([StoredRecord<InitiativeContent>], String?) in
            var page = try InitiativeRepository.page(filter, in: db)
            let next = filter.paging.trim(&page, cursors: cursors)
            return (try InitiativeRepository.load(page.map(\.id), in: db), next)
        }
        if csv {
            var out = CSVWriter(header: [
                "id", "title", "area", "countries", "status", "status_date", "description", "start_date", "end_date",
                "meeting_ids", "statement_ids", "source_ids", "created_at", "updated_at", "version",
            ])
            for record in records {
                let c = record.content
                out.row([
                    record.id, c.title, c.area, CSVWriter.list(c.countries), c.current?.status, c.current?.date,
                    c.description, c.startDate, c.endDate, CSVWriter.list(c.meetingIDs),
                    CSVWriter.list(c.statementIDs), CSVWriter.list(c.sourceIDs), record.createdAt,
                    record.updatedAt, String(record.version),
                ])
            }
            return CSVWriter.response(out, nextCursor: next, for: request)
        }
        return Representation.page(records, nextCursor: next, for: request, negotiated: true) { item, json in
            item.write(to: &json)
        }
    }
}
