import Storage

/// SQL for statements. A page of any length loads with one query per table.
enum StatementRepository {
    /// The columns every read selects, the speaker's name and country last, in the order
    /// `view(from:)` reads them.
    private static let columns = """
        s.id, s.speaker_id, s.date, s.date_precision, s.channel, s.platform, s.text, s.paraphrase,
               s.language, s.meeting_id, s.created_at, s.updated_at, s.version, a.name, a.country
        """

    /// A statement row as `columns` selects it, before its lists are loaded.
    private static func view(from row: Row) throws -> StatementView {
        let content = StatementContent(
            speakerID: try row.string(1), date: try row.string(2), datePrecision: try row.string(3),
            channel: try row.string(4), platform: row.optionalString(5), text: try row.string(6),
            paraphrase: try row.int(7) != 0, language: row.optionalString(8), meetingID: row.optionalString(9),
            about: [], topics: [], sourceIDs: [])
        return StatementView(
            record: StoredRecord(
                id: try row.string(0), content: content, createdAt: try row.string(10), updatedAt: try row.string(11),
                version: try row.int(12)),
            speakerName: try row.string(13), speakerCountry: row.optionalString(14), countries: [])
    }

    static func load(_ ids: [String], in db: any Database) throws -> [StatementView] {
        try reader.load(ids, in: db)
    }

    /// Statements with their lists and derived fields: by id, or every one in id order (exports).
    static let reader = RecordReader(
        from: "statements s JOIN actors a ON a.id = s.speaker_id", columns: columns, idColumn: "s.id",
        children: lists, view: view(from:), id: { $0.record.id })

    /// About, topics, sources, and the derived countries (an export numbers them so: `ExportTable`).
    private static let lists: [ChildTable<StatementView>] = [
        ChildTable(select: "SELECT statement_id, country FROM statement_about", key: "statement_id", order: "position")
        {
            $0.record.content.about.append(try $1.string(1))
        },
        ChildTable(select: "SELECT statement_id, topic FROM statement_topics", key: "statement_id", order: "position") {
            $0.record.content.topics.append(try $1.string(1))
        },
        ChildTable(
            select: "SELECT statement_id, source_id FROM statement_sources", key: "statement_id", order: "position"
        ) { $0.record.content.sourceIDs.append(try $1.string(1)) },
        ChildTable(
            select: "SELECT statement_id, country FROM statement_countries", key: "statement_id", order: "country"
        ) { $0.countries.append(try $1.string(1)) },
    ]

    /// Inserts `record`, or replaces the stored one, then rederives its countries.
    static func write(_ record: StoredRecord<StatementContent>, replacing: Bool, in db: any Database) throws {
        let c = record.content
        let id = SQLValue.text(record.id)
        if replacing {
            try db.execute(
                """
                UPDATE statements SET speaker_id = ?, date = ?, date_precision = ?, channel = ?, platform = ?, text = ?,
                    paraphrase = ?, language = ?, meeting_id = ?, updated_at = ?, version = ?
                WHERE id = ?
                """,
                [
                    .text(c.speakerID), .text(c.date), .text(c.datePrecision), .text(c.channel), c.platform.sqlValue,
                    .text(c.text), .integer(c.paraphrase ? 1 : 0), c.language.sqlValue, c.meetingID.sqlValue,
                    .text(record.updatedAt), .integer(Int64(record.version)), id,
                ])
            for table in ["statement_about", "statement_topics", "statement_sources"] {
                try db.execute("DELETE FROM \(table) WHERE statement_id = ?", [id])
            }
            var rows = TableRows()
            childRows(of: record, into: &rows)
            try rows.insert(in: db)
        } else {
            var rows = TableRows()
            self.rows(of: record, into: &rows)
            try rows.insert(in: db)
        }
        try DerivedCountries.refreshStatements(.one(record.id), in: db)
    }

    /// The rows creating `record` writes: the statement, then its lists.
    static func rows(of record: StoredRecord<StatementContent>, into rows: inout TableRows) {
        let c = record.content
        rows.add(
            "statements",
            [
                "id", "speaker_id", "date", "date_precision", "channel", "platform", "text", "paraphrase", "language",
                "meeting_id", "created_at", "updated_at", "version",
            ],
            [
                .text(record.id), .text(c.speakerID), .text(c.date), .text(c.datePrecision), .text(c.channel),
                c.platform.sqlValue,
                .text(c.text), .integer(c.paraphrase ? 1 : 0), c.language.sqlValue, c.meetingID.sqlValue,
                .text(record.createdAt), .text(record.updatedAt), .integer(Int64(record.version)),
            ])
        childRows(of: record, into: &rows)
    }

    private static func childRows(of record: StoredRecord<StatementContent>, into rows: inout TableRows) {
        let c = record.content
        let id = SQLValue.text(record.id)
        for (position, country) in c.about.enumerated() {
            rows.add(
                "statement_about", ["statement_id", "position", "country"],
                [id, .integer(Int64(position)), .text(country)])
        }
        for (position, topic) in c.topics.enumerated() {
            rows.add(
                "statement_topics", ["statement_id", "position", "topic"],
                [id, .integer(Int64(position)), .text(topic)])
        }
        for (position, source) in c.sourceIDs.enumerated() {
            rows.add(
                "statement_sources", ["statement_id", "position", "source_id"],
                [id, .integer(Int64(position)), .text(source)])
        }
    }

    struct Filter {
        var speakers: [String] = []
        var countries: [String] = []
        var channels: [String] = []
        var meeting: String?
        var topics: [String] = []
        var paging = DatedPaging()
    }

    /// One page of (id, date) in date order, ties by id; with a country filter the walk follows
    /// `statement_countries(country, date, statement_id)`.
    static func page(_ filter: Filter, in db: any Database) throws -> [(id: String, date: String)] {
        let (sql, arguments) = pageQuery(filter, in: SQLDialect.of(db))
        return try db.query(sql, arguments) { (id: try $0.string(0), date: try $0.string(1)) }
    }

    /// The SQL and arguments of `page`, apart so tests can check its query plan.
    static func pageQuery(_ filter: Filter, in dialect: SQLDialect) -> (sql: String, arguments: [SQLValue]) {
        var query = DatedPageQuery(from: "statements s", dateColumn: "s.date", idColumn: "s.id")
        if let first = filter.countries.first {
            query = DatedPageQuery(
                from: "statement_countries sc JOIN statements s ON s.id = sc.statement_id", dateColumn: "sc.date",
                idColumn: "sc.statement_id")
            query.require("sc.country = ?", [.text(first)])
        }
        query.requireEvery(
            Array(filter.countries.dropFirst()), in: "statement_countries x", key: "x.statement_id",
            column: "x.country", of: "s.id")
        query.require("s.speaker_id", in: filter.speakers)
        query.require("s.channel", in: filter.channels)
        if let meeting = filter.meeting { query.require("s.meeting_id = ?", [.text(meeting)]) }
        if !filter.topics.isEmpty {
            query.require(
                "\(query.idColumn) IN (SELECT statement_id FROM statement_topics WHERE topic IN ("
                    + filter.topics.map { _ in "?" }.joined(separator: ",") + "))", filter.topics.map(SQLValue.text))
        }
        if let text = filter.paging.query, let match = FullTextQuery.words(text) {
            query.require(dialect.fullTextMatch("statements", alias: "s"), [.text(match)])
        }
        return query.sql(filter.paging)
    }
}
