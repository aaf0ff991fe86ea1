import HTTPCore
import Storage

/// What officials said: quotes verbatim, reported speech as marked paraphrase.
enum Statements: RecordKind {
    typealias Content = StatementContent
    static let singular = "statement"
    static let collection = "statements"

    static func decode(_ object: JSONObject, errors: inout FieldErrors) -> (id: String?, content: StatementContent?) {
        var body = ObjectReader(object)
        body.ignore("speaker", "countries", "created_at", "updated_at", "version")
        body.forbidNull("id", "date_precision", "paraphrase", errors: &errors)
        let id = body.string("id", &errors, maxLength: 128)
        if let id, !Rules.isValidID(id) { errors.add("id", Rules.idRule) }
        let speaker = body.string("speaker_id", &errors, required: true, maxLength: 128)
        if let speaker, !Rules.isValidID(speaker) { errors.add("speaker_id", Rules.idRule) }
        let (date, precision) = body.datedFact(&errors)
        let channel = body.enumeration("channel", RecordSchema.channels, &errors, required: true)
        let platform = body.string("platform", &errors, maxLength: Rules.maxShortText)
        let text = body.string("text", &errors, required: true, maxLength: Rules.maxText)
        let paraphrase = body.bool("paraphrase", &errors) ?? false
        let language = body.string("language", &errors, maxLength: 35)
        if let language, !Rules.isValidLanguage(language) {
            errors.add("language", "must be a language tag like en or km-KH")
        }
        let meeting = body.string("meeting_id", &errors, maxLength: 128)
        if let meeting, !Rules.isValidID(meeting) { errors.add("meeting_id", Rules.idRule) }
        let about = body.countries("about", &errors)
        let topics = body.areas("topics", &errors)
        let sources = body.ids("source_ids", &errors)
        body.reportUnknown(&errors)
        guard let speaker, let date, let channel, let text else { return (id, nil) }
        return (
            id,
            StatementContent(
                speakerID: speaker, date: date, datePrecision: precision, channel: channel, platform: platform,
                text: text, paraphrase: paraphrase, language: language, meetingID: meeting, about: about,
                topics: topics, sourceIDs: sources)
        )
    }

    static func checkReferences(_ content: StatementContent, in db: any Database, errors: inout FieldErrors) throws {
        try References.check([(content.speakerID, "speaker_id")], in: "actors", named: "actor", db: db, errors: &errors)
        if let meeting = content.meetingID {
            try References.check([(meeting, "meeting_id")], in: "meetings", named: "meeting", db: db, errors: &errors)
        }
        try References.check(
            content.sourceIDs.enumerated().map { ($1, "source_ids[\($0)]") }, in: "sources", named: "source", db: db,
            errors: &errors)
    }

    static func load(_ id: String, in db: any Database) throws -> StoredRecord<StatementContent>? {
        try StatementRepository.load([id], in: db).first?.record
    }

    static func loadAll(_ ids: [String], in db: any Database) throws -> [StoredRecord<StatementContent>] {
        try StatementRepository.load(ids, in: db).map(\.record)
    }

    static func insert(_ record: StoredRecord<StatementContent>, in db: any Database) throws {
        try StatementRepository.write(record, replacing: false, in: db)
    }

    static func stagedRows(of record: StoredRecord<StatementContent>) -> TableRows? {
        var rows = TableRows()
        StatementRepository.rows(of: record, into: &rows)
        return rows
    }

    static func created(_ ids: SQLValue, in db: any Database) throws {
        try DerivedCountries.refreshStatements(
            .query("SELECT j.value FROM \(SQLDialect.of(db).jsonTextArray(as: "j"))", [ids]), in: db)
    }

    static func update(_ record: StoredRecord<StatementContent>, in db: any Database) throws {
        try StatementRepository.write(record, replacing: true, in: db)
    }

    static func delete(_ id: String, in db: any Database) throws {
        try db.execute("DELETE FROM statements WHERE id = ?", [.text(id)])
    }

    static func referrers(of id: String, in db: any Database) throws -> [String] {
        try db.query(
            """
            SELECT 'initiatives/' || initiative_id FROM initiative_statements WHERE statement_id = ?1
            UNION SELECT 'initiatives/' || initiative_id FROM initiative_status_history WHERE statement_id = ?1
            ORDER BY 1 LIMIT 101
            """, [.text(id)]
        ) { try $0.string(0) }
    }

    static func render(_ record: StoredRecord<StatementContent>, in db: any Database) throws -> [UInt8] {
        try representation(of: record.id, in: db) ?? []
    }

    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try StatementRepository.forEachRepresentation(where: condition, in: db, body)
    }

    static func representation(of id: String, in db: any Database) throws -> [UInt8]? {
        guard let view = try StatementRepository.load([id], in: db).first else { return nil }
        var json = JSONWriter(reservingCapacity: 1024)
        view.write(to: &json)
        return json.bytes
    }
}
