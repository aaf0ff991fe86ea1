import HTTPCore
import Storage

/// Checks that referenced records exist, one key lookup per distinct id, and records each
/// missing one at its JSON path.
enum References {
    /// - Parameters:
    ///   - ids: the referenced ids with the path of the field that holds each.
    ///   - table: one of our tables (a constant, never input).
    static func check(
        _ ids: [(id: String, field: String)], in table: String, named singular: String, db: any Database,
        errors: inout FieldErrors
    ) throws {
        guard !ids.isEmpty else { return }
        var missing: [String] = []
        var distinct: [String] = []
        for reference in ids where !distinct.contains(reference.id) { distinct.append(reference.id) }
        if distinct.count > 1, db[attachment: KnownRecords.self] == nil, SQLDialect.of(db).statementsAreRoundTrips {
            let found = try tags(of: distinct, in: table, db: db)
            missing = distinct.filter { found[$0] == nil }
        } else {
            for id in distinct where try tag(of: id, in: table, db: db) == nil {
                missing.append(id)
            }
        }
        for reference in ids where missing.contains(reference.id) {
            errors.add(reference.field, "no \(singular) has the id '\(reference.id)'")
        }
    }

    /// ``tag(of:in:db:)`` of each of `ids` that exists, with one query.
    static func tags(of ids: [String], in table: String, db: any Database) throws -> [String: String] {
        var json = JSONWriter(reservingCapacity: ids.count * 16)
        json.strings(ids)
        var tags: [String: String] = [:]
        // A lookup by key for each id, whatever their number: a join would let PostgreSQL's planner,
        // which takes any JSON array for 100 elements, hash a whole table of actors for two ids.
        try db.forEachRow(
            "SELECT j.value, (SELECT \(KnownRecords.tagColumn(of: table)) FROM \(table) t WHERE t.id = j.value) "
                + "FROM \(SQLDialect.of(db).jsonTextArray(as: "j"))",
            [.text(String(decoding: json.bytes, as: UTF8.self))]
        ) { row in
            if let tag = row.optionalString(1) { tags[try row.string(0)] = tag }
        }
        return tags
    }

    /// The record `id` of `table` as a reference sees it: nil when there is none, else its
    /// ``KnownRecords/tagColumn(of:)`` (an actor's kind), or "" for tables without one. Answered by
    /// the connection's ``KnownRecords`` while one is attached (an import's chunk of lines).
    static func tag(of id: String, in table: String, db: any Database) throws -> String? {
        if let known = db[attachment: KnownRecords.self] { return known.tag(of: id, in: table) }
        // One cached statement probed per id: an `IN (?, ?, …)` list is a statement per list
        // length, and SQLite builds a temporary index of its values on every run.
        return try db.queryOne(
            "SELECT \(KnownRecords.tagColumn(of: table)) FROM \(table) WHERE id = ?", [.text(id)],
            row: { try $0.string(0) })
    }
}

/// The records a chunk of import lines names (their own ids and their references), looked up
/// with one query per table instead of one per id (`StagedImport`), and kept up to date as the
/// chunk's records are written. While attached to a connection, ``References/tag(of:in:db:)``
/// answers from it.
///
/// Asked first while ``collecting``: it then notes every id asked for and answers as if each
/// existed, so that running the kinds' own reference checks once tells which ids to look up.
final class KnownRecords {
    /// Noting the ids asked for (the answers are not to be trusted yet).
    private(set) var collecting = true
    private var asked: [String: Set<String>] = [:]
    private var found: [String: [String: String]] = [:]
    /// `table/id` of the records written since the look-up.
    private var written: Set<String> = []

    /// The column a reference reads besides existence: an actor's kind (a role names an
    /// organization), else none ("").
    static func tagColumn(of table: String) -> String {
        table == "actors" ? "kind" : "''"
    }

    func tag(of id: String, in table: String) -> String? {
        if collecting {
            asked[table, default: []].insert(id)
            return table == "actors" ? "organization" : ""
        }
        return found[table]?[id]
    }

    /// Notes `id` of `table` as asked for (a line's own id).
    func ask(_ id: String, in table: String) {
        asked[table, default: []].insert(id)
    }

    /// Looks up every id asked for, one query per table, and answers from then on.
    func lookUp(in db: any Database) throws {
        for (table, ids) in asked.sorted(by: { $0.key < $1.key }) {
            found[table] = try References.tags(of: Array(ids), in: table, db: db)
        }
        asked = [:]
        collecting = false
    }

    /// Notes a record written since the look-up.
    func note(_ id: String, in table: String, tag: String) {
        found[table, default: [:]][id] = tag
        written.insert("\(table)/\(id)")
    }

    /// Whether ``note(_:in:tag:)`` noted `id` of `table`.
    func wasWritten(_ id: String, in table: String) -> Bool {
        written.contains("\(table)/\(id)")
    }

    /// Whether `id` of `table` exists (once looked up).
    func exists(_ id: String, in table: String) -> Bool {
        found[table]?[id] != nil
    }

    /// Runs `body` with the connection's references answered from here.
    func answering<T>(on db: any Database, _ body: () throws -> T) rethrows -> T {
        db[attachment: KnownRecords.self] = self
        defer { db[attachment: KnownRecords.self] = nil }
        return try body()
    }
}
