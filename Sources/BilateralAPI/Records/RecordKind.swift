import HTTPCore
import Storage

/// What one collection (actors, sources, meetings, statements, initiatives) supplies to the
/// shared write path: how to read a body, check its references, store, render and delete it.
protocol RecordKind: Sendable {
    associatedtype Content: Equatable & Sendable

    /// "actor": the `type` of import lines and the wording of messages.
    static var singular: String { get }
    /// "actors": the path segment.
    static var collection: String { get }

    /// Reads a body into content, recording every broken rule. `id` is the body's `id`, if any.
    static func decode(_ object: JSONObject, errors: inout FieldErrors) -> (id: String?, content: Content?)
    /// Records every reference of `content` that does not exist (422 material).
    static func checkReferences(_ content: Content, in db: any Database, errors: inout FieldErrors) throws
    static func load(_ id: String, in db: any Database) throws -> StoredRecord<Content>?
    /// The records with these ids (missing ones skipped), with one query per table.
    static func loadAll(_ ids: [String], in db: any Database) throws -> [StoredRecord<Content>]
    static func insert(_ record: StoredRecord<Content>, in db: any Database) throws
    static func update(_ record: StoredRecord<Content>, in db: any Database) throws
    static func delete(_ id: String, in db: any Database) throws
    /// Records that refer to `id` and so forbid deleting it, as `collection/id`.
    static func referrers(of id: String, in db: any Database) throws -> [String]
    /// The API representation, derived fields included.
    static func render(_ record: StoredRecord<Content>, in db: any Database) throws -> [UInt8]
    /// The representation of `id`, or nil: one load, for GET (a kind whose load already reads
    /// the derived fields renders from it instead of querying them twice).
    static func representation(of id: String, in db: any Database) throws -> [UInt8]?
    /// Calls `body` with every record matching `condition` (one of `exportGroups`), by id, as what
    /// writes the members of its representation: an export renders them all, so each table is read
    /// once, beside the others (`RecordReader`), not once per record. `members` may read the
    /// record's rows as it writes (`RecordReader.forEachRow`), and so throw.
    static func forEachRepresentation(
        where condition: String, in db: any Database,
        _ body: (_ members: (inout JSONWriter) throws -> Void) throws -> Void
    ) throws
    /// The rows creating `record` writes, for an import to write many records' rows together
    /// (`StagedImport`); nil for a kind whose create checks more than references (a source's url
    /// is unique) or writes more than rows: its import lines are written one by one.
    static func stagedRows(of record: StoredRecord<Content>) -> TableRows?
    /// What creating the records whose ids are the JSON array `ids` does besides writing
    /// ``stagedRows(of:)`` (derived countries), for all of them at once.
    static func created(_ ids: SQLValue, in db: any Database) throws
    /// What a reference to a record of this kind reads besides its existence
    /// (`KnownRecords.tagColumn(of:)`): an actor's kind; "" for other kinds.
    static func referenceTag(of content: Content) -> String
    /// SQL conditions splitting the collection into groups exported one after the other, so that
    /// records referred to by others of the same kind come first (organizations before people).
    static var exportGroups: [String] { get }
}

extension RecordKind {
    /// Whether a record with this id exists, without loading it.
    static func exists(_ id: String, in db: any Database) throws -> Bool {
        // `collection` is one of our table names, never input.
        try db.queryOne("SELECT 1 FROM \(collection) WHERE id = ?", [.text(id)]) { _ in true } ?? false
    }

    static var exportGroups: [String] { ["true"] }

    static func stagedRows(of record: StoredRecord<Content>) -> TableRows? { nil }

    static func loadAll(_ ids: [String], in db: any Database) throws -> [StoredRecord<Content>] {
        try ids.compactMap { try load($0, in: db) }
    }

    static func created(_ ids: SQLValue, in db: any Database) throws {}

    static func referenceTag(of content: Content) -> String { "" }

    static func representation(of id: String, in db: any Database) throws -> [UInt8]? {
        guard let record = try load(id, in: db) else { return nil }
        return try render(record, in: db)
    }
}
