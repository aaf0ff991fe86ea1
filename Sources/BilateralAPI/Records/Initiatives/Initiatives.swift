import HTTPCore
import Storage

/// Cooperation between countries, and its status over time.
enum Initiatives: RecordKind {
    typealias Content = InitiativeContent
    static let singular = "initiative"
    static let collection = "initiatives"

    static func decode(_ object: JSONObject, errors: inout FieldErrors) -> (id: String?, content: InitiativeContent?) {
        var body = ObjectReader(object)
        body.ignore("created_at", "updated_at", "version")
        body.forbidNull("id", "status", "status_date", errors: &errors)
        let id = body.string("id", &errors, maxLength: 128)
        if let id, !Rules.isValidID(id) { errors.add("id", Rules.idRule) }
        let title = body.string("title", &errors, required: true, maxLength: Rules.maxTitle)
        let area = body.enumeration("area", RecordSchema.areas, &errors, required: true)
        let countries = body.countries("countries", &errors, required: true)
        if object["countries"] != nil, countries.count < 2, errors.isEmpty {
            errors.add("countries", "must name at least two different countries")
        }
        var history = body.objects("status_history", &errors) { entry, errors in
            decodeChange(&entry, &errors)
        }
        // SPEC: `status` (+ `status_date`, default today) may stand in for the history; with a
        // history it is derived, and ignored like every read-only field.
        let status = body.enumeration("status", RecordSchema.statuses, &errors)
        let statusDate = body.date("status_date", &errors)
        if history.isEmpty, object["status_history"] == nil || object["status_history"]?.isNull == true {
            if let status {
                history = [.init(status: status, date: statusDate ?? WallClock.nowRFC3339().prefix(10).description)]
            } else if errors.isEmpty {
                errors.add("status_history", "is required (or give status and, optionally, status_date)")
            }
        } else if history.isEmpty, errors.isEmpty {
            errors.add("status_history", "must have at least one entry")
        }
        let description = body.string("description", &errors, maxLength: Rules.maxText)
        let start = body.date("start_date", &errors)
        let end = body.date("end_date", &errors)
        if let start, let end, start > end { errors.add("end_date", "must not be before start_date") }
        let meetings = body.ids("meeting_ids", &errors).sorted()
        let statements = body.ids("statement_ids", &errors)
        let sources = body.ids("source_ids", &errors)
        body.reportUnknown(&errors)
        guard let title, let area, countries.count >= 2, !history.isEmpty else { return (id, nil) }
        return (
            id,
            InitiativeContent(
                title: title, area: area, countries: countries, statusHistory: history, description: description,
                startDate: start, endDate: end, meetingIDs: meetings, statementIDs: statements, sourceIDs: sources)
        )
    }

    /// One status change (a history entry, or the body of `POST .../status-changes`).
    static func decodeChange(_ entry: inout ObjectReader, _ errors: inout FieldErrors, defaultDate: String? = nil)
        -> InitiativeContent.StatusChange?
    {
        let status = entry.enumeration("status", RecordSchema.statuses, &errors, required: true)
        let date = entry.date("date", &errors, required: defaultDate == nil) ?? defaultDate
        let note = entry.string("note", &errors, maxLength: Rules.maxText)
        let meeting = entry.string("meeting_id", &errors, maxLength: 128)
        if let meeting, !Rules.isValidID(meeting) { errors.add(entry.field("meeting_id"), Rules.idRule) }
        let statement = entry.string("statement_id", &errors, maxLength: 128)
        if let statement, !Rules.isValidID(statement) { errors.add(entry.field("statement_id"), Rules.idRule) }
        guard let status, let date else { return nil }
        return .init(status: status, date: date, note: note, meetingID: meeting, statementID: statement)
    }

    static func checkReferences(_ content: InitiativeContent, in db: any Database, errors: inout FieldErrors) throws {
        var meetings = content.meetingIDs.enumerated().map { ($1, "meeting_ids[\($0)]") }
        var statements = content.statementIDs.enumerated().map { ($1, "statement_ids[\($0)]") }
        for (index, change) in content.statusHistory.enumerated() {
            if let meeting = change.meetingID { meetings.append((meeting, "status_history[\(index)].meeting_id")) }
            if let statement = change.statementID {
                statements.append((statement, "status_history[\(index)].statement_id"))
            }
        }
        try References.check(meetings, in: "meetings", named: "meeting", db: db, errors: &errors)
        try References.check(statements, in: "statements", named: "statement", db: db, errors: &errors)
        try References.check(
            content.sourceIDs.enumerated().map { ($1, "source_ids[\($0)]") }, in: "sources", named: "source", db: db,
            errors: &errors)
    }

    static func load(_ id: String, in db: any Database) throws -> StoredRecord<InitiativeContent>? {
        try InitiativeRepository.load([id], in: db).first
    }

    static func loadAll(_ ids: [String], in db: any Database) throws -> [StoredRecord<InitiativeContent>] {
        try InitiativeRepository.load(ids, in: db)
    }

    static func insert(_ record: StoredRecord<InitiativeContent>, in db: any Database) throws {
        try InitiativeRepository.write(record, replacing: false, in: db)
    }

    static func update(_ record: StoredRecord<InitiativeContent>, in db: any Database) throws {
        try InitiativeRepository.write(record, replacing: true, in: db)
    }

    static func delete(_ id: String, in db: any Database) throws {
        try db.execute("DELETE FROM initiatives WHERE id = ?", [.text(id)])
    }

    /// Nothing refers to an initiative but meetings, through the relation both sides own: its
    /// links go with it.
    static func referrers(of id: String, in db: any Database) throws -> [String] { [] }

    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try InitiativeRepository.reader.forEach(where: condition, in: db) { record in
            try body { record.writeMembers(to: &$0) }
        }
    }

    static func render(_ record: StoredRecord<InitiativeContent>, in db: any Database) throws -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 1024)
        record.write(to: &json)
        return json.bytes
    }
}
