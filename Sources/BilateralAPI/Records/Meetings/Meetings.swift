import HTTPCore
import Storage

/// Meetings, visits, calls and summits between officials.
enum Meetings: RecordKind {
    typealias Content = MeetingContent
    static let singular = "meeting"
    static let collection = "meetings"

    static func decode(_ object: JSONObject, errors: inout FieldErrors) -> (id: String?, content: MeetingContent?) {
        var body = ObjectReader(object)
        // `initiative_ids` is derived since the initiative owns the link (docs/api-changes.md): a
        // client may PUT back what it GOT, and an import line naming it changes nothing.
        body.ignore("countries", "initiative_ids", "created_at", "updated_at", "version")
        body.forbidNull("id", "date_precision", errors: &errors)
        let id = body.string("id", &errors, maxLength: 128)
        if let id, !Rules.isValidID(id) { errors.add("id", Rules.idRule) }
        let title = body.string("title", &errors, required: true, maxLength: Rules.maxTitle)
        let (date, precision) = body.datedFact(&errors)
        let kind = body.enumeration("kind", RecordSchema.kinds, &errors, required: true)
        var city: String? = nil
        var locationCountry: String? = nil
        if let location = body.value("location") {
            if case .object(let members) = location {
                var reader = ObjectReader(members, path: "location")
                city = reader.string("city", &errors, maxLength: Rules.maxShortText)
                locationCountry = reader.country("country", &errors)
                reader.reportUnknown(&errors)
            } else {
                errors.add("location", "must be an object with city and country, not \(location.typeName)")
            }
        }
        let participants = body.objects("participants", &errors, required: true) {
            participant, errors -> MeetingContent.Participant? in
            participant.ignore("name", "country")
            let actor = participant.string("actor_id", &errors, required: true, maxLength: 128)
            if let actor, !Rules.isValidID(actor) { errors.add(participant.field("actor_id"), Rules.idRule) }
            let role = participant.enumeration("role", RecordSchema.roles, &errors, required: true)
            guard let actor, let role else { return nil }
            return MeetingContent.Participant(actorID: actor, role: role)
        }
        if object["participants"] != nil, participants.isEmpty, errors.isEmpty {
            errors.add("participants", "must have at least one participant")
        }
        var seenActors: Set<String> = []
        for (index, participant) in participants.enumerated() where !seenActors.insert(participant.actorID).inserted {
            errors.add("participants[\(index)].actor_id", "'\(participant.actorID)' takes part only once")
        }
        let topics = body.areas("topics", &errors)
        let summary = body.string("summary", &errors, maxLength: Rules.maxText)
        let sources = body.ids("source_ids", &errors)
        body.reportUnknown(&errors)
        guard let title, let date, let kind, !participants.isEmpty else { return (id, nil) }
        return (
            id,
            MeetingContent(
                title: title, date: date, datePrecision: precision, kind: kind, locationCity: city,
                locationCountry: locationCountry, participants: participants, topics: topics, summary: summary,
                sourceIDs: sources)
        )
    }

    static func checkReferences(_ content: MeetingContent, in db: any Database, errors: inout FieldErrors) throws {
        try References.check(
            content.participants.enumerated().map { ($1.actorID, "participants[\($0)].actor_id") }, in: "actors",
            named: "actor", db: db, errors: &errors)
        try References.check(
            content.sourceIDs.enumerated().map { ($1, "source_ids[\($0)]") }, in: "sources", named: "source", db: db,
            errors: &errors)
    }

    static func load(_ id: String, in db: any Database) throws -> StoredRecord<MeetingContent>? {
        try MeetingRepository.load([id], in: db).first?.record
    }

    static func loadAll(_ ids: [String], in db: any Database) throws -> [StoredRecord<MeetingContent>] {
        try MeetingRepository.load(ids, in: db).map(\.record)
    }

    static func insert(_ record: StoredRecord<MeetingContent>, in db: any Database) throws {
        try MeetingRepository.insert(record, in: db)
    }

    static func stagedRows(of record: StoredRecord<MeetingContent>) -> TableRows? {
        var rows = TableRows()
        MeetingRepository.rows(of: record, into: &rows)
        return rows
    }

    static func created(_ ids: SQLValue, in db: any Database) throws {
        try MeetingRepository.refreshDerived(ofEach: ids, in: db)
    }

    static func update(_ record: StoredRecord<MeetingContent>, in db: any Database) throws {
        try MeetingRepository.update(record, in: db)
    }

    static func delete(_ id: String, in db: any Database) throws {
        try db.execute("DELETE FROM meetings WHERE id = ?", [.text(id)])
    }

    static func referrers(of id: String, in db: any Database) throws -> [String] {
        try db.query(
            """
            SELECT 'statements/' || id FROM statements WHERE meeting_id = ?1
            UNION SELECT 'initiatives/' || initiative_id FROM initiative_status_history WHERE meeting_id = ?1
            ORDER BY 1 LIMIT 101
            """, [.text(id)]
        ) { try $0.string(0) }
    }

    static func representation(of id: String, in db: any Database) throws -> [UInt8]? {
        guard let view = try MeetingRepository.load([id], in: db).first else { return nil }
        var json = JSONWriter(reservingCapacity: 1024)
        view.write(to: &json)
        return json.bytes
    }

    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try MeetingRepository.forEachRepresentation(where: condition, in: db, body)
    }

    static func render(_ record: StoredRecord<MeetingContent>, in db: any Database) throws -> [UInt8] {
        let view = try MeetingRepository.view(of: record, in: db)
        var json = JSONWriter(reservingCapacity: 1024)
        view.write(to: &json)
        return json.bytes
    }
}
