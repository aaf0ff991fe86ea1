import Storage

/// SQL for initiatives. `write` is the only code that sets `status` and `status_date`, from the
/// history it writes in the same statement group.
enum InitiativeRepository {
    /// The initiative columns every read selects, in the order `record(from:)` reads them.
    private static let columns = "id, title, area, description, start_date, end_date, created_at, updated_at, version"

    /// An initiative row as `columns` selects it, before its lists are loaded.
    private static func record(from row: Row) throws -> StoredRecord<InitiativeContent> {
        StoredRecord(
            id: try row.string(0),
            content: InitiativeContent(
                title: try row.string(1), area: try row.string(2), countries: [], statusHistory: [],
                description: row.optionalString(3), startDate: row.optionalString(4), endDate: row.optionalString(5),
                meetingIDs: [], statementIDs: [], sourceIDs: []),
            createdAt: try row.string(6), updatedAt: try row.string(7), version: try row.int(8))
    }

    static func load(_ ids: [String], in db: any Database) throws -> [StoredRecord<InitiativeContent>] {
        try reader.load(ids, in: db)
    }

    /// Initiatives with their lists: by id, or every one in id order (exports).
    static let reader = RecordReader(
        from: "initiatives", columns: columns, idColumn: "id", children: lists, view: record(from:), id: { $0.id })

    /// Countries, status history, meetings, statements, sources.
    private static let lists: [ChildTable<StoredRecord<InitiativeContent>>] = [
        ChildTable(
            select: "SELECT initiative_id, country FROM initiative_countries", key: "initiative_id", order: "position"
        ) { $0.content.countries.append(try $1.string(1)) },
        ChildTable(
            select: """
                SELECT initiative_id, status, date, note, meeting_id, statement_id FROM initiative_status_history
                """, key: "initiative_id", order: "position"
        ) { record, row in
            record.content.statusHistory.append(
                .init(
                    status: try row.string(1), date: try row.string(2), note: row.optionalString(3),
                    meetingID: row.optionalString(4), statementID: row.optionalString(5)))
        },
        ChildTable(
            select: "SELECT initiative_id, meeting_id FROM initiative_meetings", key: "initiative_id",
            order: "meeting_id"
        ) { $0.content.meetingIDs.append(try $1.string(1)) },
        ChildTable(
            select: "SELECT initiative_id, statement_id FROM initiative_statements", key: "initiative_id",
            order: "position"
        ) { $0.content.statementIDs.append(try $1.string(1)) },
        ChildTable(
            select: "SELECT initiative_id, source_id FROM initiative_sources", key: "initiative_id", order: "position"
        ) { $0.content.sourceIDs.append(try $1.string(1)) },
    ]

    static func write(_ record: StoredRecord<InitiativeContent>, replacing: Bool, in db: any Database) throws {
        let c = record.content
        let id = SQLValue.text(record.id)
        let current = c.current ?? .init(status: "proposed", date: "0001-01-01")
        if replacing {
            try db.execute(
                """
                UPDATE initiatives SET title = ?, area = ?, status = ?, status_date = ?, description = ?, start_date = ?,
                    end_date = ?, updated_at = ?, version = ?
                WHERE id = ?
                """,
                [
                    .text(c.title), .text(c.area), .text(current.status), .text(current.date),
                    c.description.sqlValue,
                    c.startDate.sqlValue, c.endDate.sqlValue, .text(record.updatedAt),
                    .integer(Int64(record.version)), id,
                ])
            for table in [
                "initiative_countries", "initiative_status_history", "initiative_meetings", "initiative_statements",
                "initiative_sources",
            ] {
                try db.execute("DELETE FROM \(table) WHERE initiative_id = ?", [id])
            }
        } else {
            try db.execute(
                """
                INSERT INTO initiatives (id, title, area, status, status_date, description, start_date, end_date,
                                         created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, .text(c.title), .text(c.area), .text(current.status), .text(current.date),
                    c.description.sqlValue, c.startDate.sqlValue, c.endDate.sqlValue, .text(record.createdAt),
                    .text(record.updatedAt), .integer(Int64(record.version)),
                ])
        }
        for (position, country) in c.countries.enumerated() {
            try db.execute(
                "INSERT INTO initiative_countries (initiative_id, position, country) VALUES (?, ?, ?)",
                [id, .integer(Int64(position)), .text(country)])
        }
        for (position, change) in c.statusHistory.enumerated() {
            try db.execute(
                """
                INSERT INTO initiative_status_history (initiative_id, position, status, date, note, meeting_id, statement_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, .integer(Int64(position)), .text(change.status), .text(change.date), change.note.sqlValue,
                    change.meetingID.sqlValue, change.statementID.sqlValue,
                ])
        }
        for meeting in c.meetingIDs {
            try db.execute(
                "INSERT INTO initiative_meetings (initiative_id, meeting_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [id, .text(meeting)])
        }
        for (position, statement) in c.statementIDs.enumerated() {
            try db.execute(
                "INSERT INTO initiative_statements (initiative_id, position, statement_id) VALUES (?, ?, ?)",
                [id, .integer(Int64(position)), .text(statement)])
        }
        for (position, source) in c.sourceIDs.enumerated() {
            try db.execute(
                "INSERT INTO initiative_sources (initiative_id, position, source_id) VALUES (?, ?, ?)",
                [id, .integer(Int64(position)), .text(source)])
        }
    }

    struct Filter {
        var countries: [String] = []
        var areas: [String] = []
        var statuses: [String] = []
        var paging = DatedPaging()
    }

    /// One page of (id, status_date) ordered by the date of the current status, ties by id.
    static func page(_ filter: Filter, in db: any Database) throws -> [(id: String, date: String)] {
        let (sql, arguments) = pageQuery(filter, in: SQLDialect.of(db))
        return try db.query(sql, arguments) { (id: try $0.string(0), date: try $0.string(1)) }
    }

    /// The SQL and arguments of `page`, apart so tests can check its query plan.
    static func pageQuery(_ filter: Filter, in dialect: SQLDialect) -> (sql: String, arguments: [SQLValue]) {
        var query = DatedPageQuery(from: "initiatives i", dateColumn: "i.status_date", idColumn: "i.id")
        if let first = filter.countries.first {
            // Drive from the country's initiatives (initiative_countries(country, initiative_id)),
            // then sort them: bounded by the country's share, where walking the date index and
            // testing each initiative would read all of them.
            query = DatedPageQuery(
                from: "initiative_countries c0 JOIN initiatives i ON i.id = c0.initiative_id",
                dateColumn: "i.status_date", idColumn: "i.id")
            query.require("c0.country = ?", [.text(first)])
        }
        query.requireEvery(
            Array(filter.countries.dropFirst()), in: "initiative_countries c", key: "c.initiative_id",
            column: "c.country", of: "i.id")
        query.require("i.area", in: filter.areas)
        query.require("i.status", in: filter.statuses)
        if filter.paging.from != nil || filter.paging.to != nil {
            // SPEC: from/to select initiatives with any status change in the range, not the current one.
            // The history's (date, initiative_id) index yields the initiatives with a change in range.
            query.require(
                "i.id IN (SELECT initiative_id FROM initiative_status_history WHERE date >= ? AND date <= ?)",
                [.text(filter.paging.from ?? "0000-00-00"), .text(filter.paging.to ?? "9999-99-99")])
        }
        if let text = filter.paging.query, let match = FullTextQuery.words(text) {
            query.require(dialect.fullTextMatch("initiatives", alias: "i"), [.text(match)])
        }
        return query.sql(filter.paging, dateRange: false)
    }
}
