import HTTPCore
import Storage

/// What a client writes of a source.
struct SourceContent: Equatable, Sendable {
    var title: String
    var url: String?
    var publisher: String?
    var publishedOn: String?
    var author: String?
}

/// Where facts come from: articles, statements on official sites, reports.
enum Sources: RecordKind {
    typealias Content = SourceContent
    static let singular = "source"
    static let collection = "sources"

    static func decode(_ object: JSONObject, errors: inout FieldErrors) -> (id: String?, content: SourceContent?) {
        var body = ObjectReader(object)
        body.ignore("created_at", "updated_at", "version")
        body.forbidNull("id", errors: &errors)
        let id = body.string("id", &errors, maxLength: 128)
        if let id, !Rules.isValidID(id) { errors.add("id", Rules.idRule) }
        let title = body.string("title", &errors, required: true, maxLength: Rules.maxTitle)
        let url = body.string("url", &errors, maxLength: 2048)
        if let url, !Rules.isValidURL(url) { errors.add("url", "must be an absolute http or https URL") }
        let publisher = body.string("publisher", &errors, maxLength: Rules.maxShortText)
        let publishedOn = body.date("published_on", &errors)
        let author = body.string("author", &errors, maxLength: Rules.maxShortText)
        body.reportUnknown(&errors)
        guard let title else { return (id, nil) }
        return (
            id, SourceContent(title: title, url: url, publisher: publisher, publishedOn: publishedOn, author: author)
        )
    }

    static func checkReferences(_ content: SourceContent, in db: any Database, errors: inout FieldErrors) throws {}

    /// The columns every read selects, in the order `record(_:)` reads them.
    private static let columns = "id, title, url, publisher, published_on, author, created_at, updated_at, version"

    static func load(_ id: String, in db: any Database) throws -> StoredRecord<SourceContent>? {
        try db.queryOne("SELECT \(columns) FROM sources WHERE id = ?", [.text(id)], row: record)
    }

    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws {
        try db.forEachRow("SELECT \(columns) FROM sources WHERE (\(condition)) ORDER BY id", []) { row in
            let record = try record(row)
            try body { writeMembers(of: record, to: &$0) }
        }
    }

    static func record(_ row: Row) throws -> StoredRecord<SourceContent> {
        StoredRecord(
            id: try row.string(0),
            content: SourceContent(
                title: try row.string(1), url: row.optionalString(2), publisher: row.optionalString(3),
                publishedOn: row.optionalString(4), author: row.optionalString(5)),
            createdAt: try row.string(6), updatedAt: try row.string(7), version: try row.int(8))
    }

    static func insert(_ record: StoredRecord<SourceContent>, in db: any Database) throws {
        try checkURLIsFree(record, in: db)
        let c = record.content
        try db.execute(
            """
            INSERT INTO sources (id, title, url, publisher, published_on, author, created_at, updated_at, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(record.id), .text(c.title), c.url.sqlValue, c.publisher.sqlValue, c.publishedOn.sqlValue,
                c.author.sqlValue, .text(record.createdAt), .text(record.updatedAt), .integer(Int64(record.version)),
            ])
    }

    static func update(_ record: StoredRecord<SourceContent>, in db: any Database) throws {
        try checkURLIsFree(record, in: db)
        let c = record.content
        try db.execute(
            """
            UPDATE sources SET title = ?, url = ?, publisher = ?, published_on = ?, author = ?, updated_at = ?, version = ?
            WHERE id = ?
            """,
            [
                .text(c.title), c.url.sqlValue, c.publisher.sqlValue, c.publishedOn.sqlValue,
                c.author.sqlValue,
                .text(record.updatedAt), .integer(Int64(record.version)), .text(record.id),
            ])
    }

    /// SPEC: a source's url is unique; a second source with it is a conflict naming the first.
    private static func checkURLIsFree(_ record: StoredRecord<SourceContent>, in db: any Database) throws {
        guard let url = record.content.url else { return }
        if let holder = try db.queryOne(
            "SELECT id FROM sources WHERE url = ? AND id <> ?", [.text(url), .text(record.id)],
            row: { try $0.string(0) })
        {
            throw HTTPError(.conflict, detail: "The source '\(holder)' already has the url \(url).")
        }
    }

    static func delete(_ id: String, in db: any Database) throws {
        try db.execute("DELETE FROM sources WHERE id = ?", [.text(id)])
    }

    static func referrers(of id: String, in db: any Database) throws -> [String] {
        try db.query(
            """
            SELECT 'meetings/' || meeting_id FROM meeting_sources WHERE source_id = ?1
            UNION SELECT 'statements/' || statement_id FROM statement_sources WHERE source_id = ?1
            UNION SELECT 'initiatives/' || initiative_id FROM initiative_sources WHERE source_id = ?1
            ORDER BY 1 LIMIT 101
            """, [.text(id)]
        ) { try $0.string(0) }
    }

    static func render(_ record: StoredRecord<SourceContent>, in db: any Database) throws -> [UInt8] {
        var json = JSONWriter(reservingCapacity: 256)
        write(record, to: &json)
        return json.bytes
    }

    static func write(_ record: StoredRecord<SourceContent>, to json: inout JSONWriter) {
        json.beginObject()
        writeMembers(of: record, to: &json)
        json.endObject()
    }

    /// The members of the representation, without the braces (an export line puts `type` first).
    static func writeMembers(of record: StoredRecord<SourceContent>, to json: inout JSONWriter) {
        let c = record.content
        json.key("id"); json.string(record.id)
        json.key("title"); json.string(c.title)
        json.key("url"); json.optionalString(c.url)
        json.key("publisher"); json.optionalString(c.publisher)
        json.key("published_on"); json.optionalString(c.publishedOn)
        json.key("author"); json.optionalString(c.author)
        json.key("created_at"); json.string(record.createdAt)
        json.key("updated_at"); json.string(record.updatedAt)
        json.key("version"); json.int(record.version)
    }
}
