import Storage

/// SQL for actors. Pages load with one query per table, whatever their length.
enum ActorRepository {
    /// The actor columns every read selects, in the order `record(from:)` reads them.
    private static let columns = "id, kind, name, country, description, created_at, updated_at, version"

    /// An actor row as `columns` selects it, before its aliases and roles are loaded.
    private static func record(from row: Row) throws -> StoredRecord<ActorContent> {
        StoredRecord(
            id: try row.string(0),
            content: ActorContent(
                kind: try row.string(1), name: try row.string(2), aliases: [], country: row.optionalString(3),
                description: row.optionalString(4), roles: []),
            createdAt: try row.string(5), updatedAt: try row.string(6), version: try row.int(7))
    }

    /// The actors with these ids, in the order given; missing ids are skipped.
    static func load(_ ids: [String], in db: any Database) throws -> [StoredRecord<ActorContent>] {
        try reader.load(ids, in: db)
    }

    /// Actors with their aliases and roles: by id, or every one in id order (exports).
    static let reader = RecordReader(
        from: "actors", columns: columns, idColumn: "id", children: lists, view: record(from:), id: { $0.id })

    /// Aliases and roles (an export numbers them so: `ExportTable`).
    private static let lists: [ChildTable<StoredRecord<ActorContent>>] = [
        ChildTable(select: "SELECT actor_id, alias FROM actor_aliases", key: "actor_id", order: "position") {
            $0.content.aliases.append(try $1.string(1))
        },
        ChildTable(
            select: "SELECT actor_id, title, organization_id, start_date, end_date FROM actor_roles", key: "actor_id",
            order: "position"
        ) { record, row in
            record.content.roles.append(
                ActorContent.Role(
                    title: try row.string(1), organizationID: row.optionalString(2), startDate: row.optionalString(3),
                    endDate: row.optionalString(4)))
        },
    ]

    static func insert(_ record: StoredRecord<ActorContent>, in db: any Database) throws {
        var rows = TableRows()
        self.rows(of: record, into: &rows)
        try rows.insert(in: db)
    }

    /// The rows creating `record` writes: the actor, then its lists.
    static func rows(of record: StoredRecord<ActorContent>, into rows: inout TableRows) {
        let c = record.content
        rows.add(
            "actors", ["id", "kind", "name", "country", "description", "created_at", "updated_at", "version"],
            [
                .text(record.id), .text(c.kind), .text(c.name), c.country.sqlValue, c.description.sqlValue,
                .text(record.createdAt), .text(record.updatedAt), .integer(Int64(record.version)),
            ])
        childRows(of: record, into: &rows)
    }

    static func update(_ record: StoredRecord<ActorContent>, in db: any Database) throws {
        let c = record.content
        try db.execute(
            """
            UPDATE actors SET kind = ?, name = ?, country = ?, description = ?, updated_at = ?, version = ?
            WHERE id = ?
            """,
            [
                .text(c.kind), .text(c.name), c.country.sqlValue, c.description.sqlValue, .text(record.updatedAt),
                .integer(Int64(record.version)), .text(record.id),
            ])
        try db.execute("DELETE FROM actor_aliases WHERE actor_id = ?", [.text(record.id)])
        try db.execute("DELETE FROM actor_roles WHERE actor_id = ?", [.text(record.id)])
        var rows = TableRows()
        childRows(of: record, into: &rows)
        try rows.insert(in: db)
    }

    private static func childRows(of record: StoredRecord<ActorContent>, into rows: inout TableRows) {
        for (position, alias) in record.content.aliases.enumerated() {
            rows.add(
                "actor_aliases", ["actor_id", "position", "alias"],
                [.text(record.id), .integer(Int64(position)), .text(alias)])
        }
        for (position, role) in record.content.roles.enumerated() {
            rows.add(
                "actor_roles", ["actor_id", "position", "title", "organization_id", "start_date", "end_date"],
                [
                    .text(record.id), .integer(Int64(position)), .text(role.title), role.organizationID.sqlValue,
                    role.startDate.sqlValue, role.endDate.sqlValue,
                ])
        }
    }

    struct Filter {
        var kinds: [String] = []
        var countries: [String] = []
        var query: String?
        var descending = false
        /// Sort key (name, id) of the last actor of the previous page.
        var after: (name: String, id: String)?
        var limit = 50
    }

    /// One page of ids in name order (case-insensitive, ties by id); `limit + 1` are read so the
    /// caller knows whether another page follows.
    static func page(_ filter: Filter, in db: any Database) throws -> [(id: String, name: String)] {
        let dialect = SQLDialect.of(db)
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if !filter.kinds.isEmpty {
            conditions.append("kind IN (" + filter.kinds.map { _ in "?" }.joined(separator: ",") + ")")
            arguments += filter.kinds.map(SQLValue.text)
        }
        if !filter.countries.isEmpty {
            conditions.append("country IN (" + filter.countries.map { _ in "?" }.joined(separator: ",") + ")")
            arguments += filter.countries.map(SQLValue.text)
        }
        if let query = filter.query, let match = FullTextQuery.prefixPhrase(query) {
            // A prefix of the name, of one of its words, or of an alias: the words of `q` as a
            // phrase in the actors' full-text index (migration 6), case and diacritics ignored.
            conditions.append(dialect.actorMatch)
            arguments.append(.text(match))
        }
        let order = filter.descending ? "DESC" : "ASC"
        if let after = filter.after {
            let comparison = filter.descending ? "<" : ">"
            conditions.append(
                "(\(dialect.caseless("name")), id) \(comparison) (\(dialect.caselessParameter), CAST(? AS TEXT))")
            arguments += [.text(after.name), .text(after.id)]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(.integer(Int64(filter.limit + 1)))
        return try db.query(
            "SELECT id, name FROM actors \(whereClause) ORDER BY \(dialect.caseless("name")) \(order), id \(order) LIMIT ?",
            arguments
        ) { (id: try $0.string(0), name: try $0.string(1)) }
    }
}
