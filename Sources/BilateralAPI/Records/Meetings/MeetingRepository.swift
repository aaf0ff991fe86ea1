import Storage

/// SQL for meetings. A page of any length loads with one query per table.
enum MeetingRepository {
    /// The meeting columns every read selects, in the order `meeting(from:)` reads them.
    private static let columns = """
        m.id, m.title, m.date, m.date_precision, m.kind, m.location_city, m.location_country, m.summary,
        m.created_at, m.updated_at, m.version
        """

    /// A meeting row as `columns` selects it, before its children are loaded.
    private static func meeting(from row: Row) throws -> MeetingView {
        let content = MeetingContent(
            title: try row.string(1), date: try row.string(2), datePrecision: try row.string(3),
            kind: try row.string(4), locationCity: row.optionalString(5), locationCountry: row.optionalString(6),
            participants: [], topics: [], summary: row.optionalString(7), sourceIDs: [])
        return MeetingView(
            record: StoredRecord(
                id: try row.string(0), content: content, createdAt: try row.string(8), updatedAt: try row.string(9),
                version: try row.int(10)),
            participants: [], countries: [], initiativeIDs: [])
    }

    /// The meetings with these ids, in the order given, with their derived fields.
    static func load(_ ids: [String], in db: any Database) throws -> [MeetingView] {
        try reader.load(ids, in: db)
    }

    /// Fills in the lists and derived fields of `views`, with one query per table whatever their number.
    static func loadChildren(of views: inout [MeetingView], in db: any Database) throws {
        try reader.fill(&views, in: db)
    }

    /// Meetings by id, with participants' names joined in.
    private static let reader = RecordReader(
        from: "meetings m", columns: columns, idColumn: "m.id", children: [participants] + lists,
        view: meeting(from:), id: { $0.record.id })

    /// Meetings with their participants' ids and roles (names come from `ActorNames`) and `lists`,
    /// for exports (`forEachRepresentation`).
    static let exportReader = RecordReader(
        from: "meetings m", columns: columns, idColumn: "m.id", children: [participantIDs] + lists,
        view: meeting(from:), id: { $0.record.id })

    /// Participants as a meeting's content has them, without their derived names.
    private static let participantIDs = ChildTable<MeetingView>(
        select: "SELECT meeting_id, actor_id, role FROM meeting_participants", key: "meeting_id", order: "position"
    ) { view, row in
        view.record.content.participants.append(.init(actorID: try row.string(1), role: try row.string(2)))
    }

    /// Participants with their actors' names and countries: one join for a page.
    private static let participants = ChildTable<MeetingView>(
        select: """
            SELECT p.meeting_id, p.actor_id, p.role, a.name, a.country
            FROM meeting_participants p JOIN actors a ON a.id = p.actor_id
            """, key: "p.meeting_id", order: "p.position"
    ) { view, row in
        try participantIDs.add(&view, row)
        view.participants.append(.init(name: try row.string(3), country: row.optionalString(4)))
    }

    /// The other lists: countries, topics, initiatives (derived: the initiatives naming the meeting),
    /// sources (an export numbers them so, after the participants: `ExportTable`).
    private static let lists: [ChildTable<MeetingView>] = [
        ChildTable(select: "SELECT meeting_id, country FROM meeting_countries", key: "meeting_id", order: "country") {
            $0.countries.append(try $1.string(1))
        },
        ChildTable(select: "SELECT meeting_id, topic FROM meeting_topics", key: "meeting_id", order: "position") {
            $0.record.content.topics.append(try $1.string(1))
        },
        ChildTable(
            select: "SELECT meeting_id, initiative_id FROM initiative_meetings", key: "meeting_id",
            order: "initiative_id"
        ) { $0.initiativeIDs.append(try $1.string(1)) },
        ChildTable(select: "SELECT meeting_id, source_id FROM meeting_sources", key: "meeting_id", order: "position") {
            $0.record.content.sourceIDs.append(try $1.string(1))
        },
    ]

    /// The derived fields of `record` as the database has them now (after a write).
    static func view(of record: StoredRecord<MeetingContent>, in db: any Database) throws -> MeetingView {
        if SQLDialect.of(db).statementsAreRoundTrips {
            // One query for all the derived lists (`ChildTablesUnion`), read into a view whose
            // own lists start empty; the record itself is the one just written.
            var blank = MeetingView(record: record, participants: [], countries: [], initiativeIDs: [])
            blank.record.content.participants = []
            blank.record.content.topics = []
            blank.record.content.sourceIDs = []
            var views = [blank]
            try reader.fill(&views, in: db)
            return MeetingView(
                record: record, participants: views[0].participants, countries: views[0].countries,
                initiativeIDs: views[0].initiativeIDs)
        }
        var names = ActorNames()
        let participants = try record.content.participants.map { try names.participant($0.actorID, in: db) }
        let countries = try db.query(
            "SELECT country FROM meeting_countries WHERE meeting_id = ? ORDER BY country", [.text(record.id)]
        ) { try $0.string(0) }
        let initiatives = try db.query(
            "SELECT initiative_id FROM initiative_meetings WHERE meeting_id = ? ORDER BY initiative_id",
            [.text(record.id)]
        ) { try $0.string(0) }
        return MeetingView(
            record: record, participants: participants, countries: countries, initiativeIDs: initiatives)
    }

    static func insert(_ record: StoredRecord<MeetingContent>, in db: any Database) throws {
        var rows = TableRows()
        self.rows(of: record, into: &rows)
        try rows.insert(in: db)
        try refreshDerived(record.id, new: true, in: db)
    }

    /// The rows creating `record` writes: the meeting, then its lists.
    static func rows(of record: StoredRecord<MeetingContent>, into rows: inout TableRows) {
        let c = record.content
        rows.add(
            "meetings",
            [
                "id", "title", "date", "date_precision", "kind", "location_city", "location_country", "summary",
                "created_at", "updated_at", "version",
            ],
            [
                .text(record.id), .text(c.title), .text(c.date), .text(c.datePrecision), .text(c.kind),
                c.locationCity.sqlValue, c.locationCountry.sqlValue, c.summary.sqlValue,
                .text(record.createdAt),
                .text(record.updatedAt), .integer(Int64(record.version)),
            ])
        childRows(of: record, into: &rows)
    }

    static func update(_ record: StoredRecord<MeetingContent>, in db: any Database) throws {
        let c = record.content
        try db.execute(
            """
            UPDATE meetings SET title = ?, date = ?, date_precision = ?, kind = ?, location_city = ?,
                location_country = ?, summary = ?, updated_at = ?, version = ?
            WHERE id = ?
            """,
            [
                .text(c.title), .text(c.date), .text(c.datePrecision), .text(c.kind), c.locationCity.sqlValue,
                c.locationCountry.sqlValue, c.summary.sqlValue, .text(record.updatedAt),
                .integer(Int64(record.version)), .text(record.id),
            ])
        // Not initiative_meetings: the initiative owns those links (docs/api-changes.md).
        for table in ["meeting_participants", "meeting_topics", "meeting_sources"] {
            try db.execute("DELETE FROM \(table) WHERE meeting_id = ?", [.text(record.id)])
        }
        var rows = TableRows()
        childRows(of: record, into: &rows)
        try rows.insert(in: db)
        try refreshDerived(record.id, in: db)
    }

    /// The lists of `record`.
    private static func childRows(of record: StoredRecord<MeetingContent>, into rows: inout TableRows) {
        let id = SQLValue.text(record.id)
        for (position, participant) in record.content.participants.enumerated() {
            rows.add(
                "meeting_participants", ["meeting_id", "position", "actor_id", "role"],
                [id, .integer(Int64(position)), .text(participant.actorID), .text(participant.role)])
        }
        for (position, topic) in record.content.topics.enumerated() {
            rows.add(
                "meeting_topics", ["meeting_id", "position", "topic"], [id, .integer(Int64(position)), .text(topic)])
        }
        for (position, source) in record.content.sourceIDs.enumerated() {
            rows.add(
                "meeting_sources", ["meeting_id", "position", "source_id"],
                [id, .integer(Int64(position)), .text(source)])
        }
    }

    /// What derives from a meeting's lists: its countries and its statements'.
    /// - Parameter new: the meeting was inserted just now.
    private static func refreshDerived(_ id: String, new: Bool = false, in db: any Database) throws {
        try DerivedCountries.refreshMeetings(.one(id), new: new, in: db)
        // A new meeting has no statements unless an import brought them first: only an import
        // defers its foreign keys, and it defers the refresh too (`DeferredRefresh`).
        if new, db[attachment: DeferredRefresh.self] == nil { return }
        // Most meetings have no statements: the refresh and its three-way union are skipped for them.
        if try db.queryOne("SELECT 1 FROM statements WHERE meeting_id = ? LIMIT 1", [.text(id)], row: { _ in true })
            != nil
        {
            try DerivedCountries.refreshStatements(
                .query("SELECT id FROM statements WHERE meeting_id = ?", [.text(id)]), in: db)
        }
    }

    /// `refreshDerived` for the meetings whose ids are the JSON array `ids`, set by set.
    static func refreshDerived(ofEach ids: SQLValue, in db: any Database) throws {
        let dialect = SQLDialect.of(db)
        try DerivedCountries.refreshMeetings(
            .query("SELECT j.value FROM \(dialect.jsonTextArray(as: "j"))", [ids]), in: db)
        try DerivedCountries.refreshStatements(
            .query(
                "SELECT s.id FROM \(dialect.jsonTextArray(as: "j")) JOIN statements s ON s.meeting_id = j.value", [ids]),
            in: db)
    }

    struct Filter {
        var countries: [String] = []
        var actors: [String] = []
        var kinds: [String] = []
        var topics: [String] = []
        var paging = DatedPaging()
    }

    /// One page of meetings in date order, ties by id, without their children; `limit + 1` rows so
    /// the caller knows whether more follow. The meeting columns come with the page's own rows: no
    /// second lookup per meeting. With a country filter the walk follows the
    /// `meeting_countries(country, date, meeting_id)` index, so no sort and no scan.
    static func page(_ filter: Filter, in db: any Database) throws -> [MeetingView] {
        let (sql, arguments) = pageQuery(filter, in: SQLDialect.of(db))
        return try db.query(sql, arguments) { try meeting(from: $0) }
    }

    /// The SQL and arguments of `page`, apart so tests can check its query plan.
    static func pageQuery(_ filter: Filter, in dialect: SQLDialect) -> (sql: String, arguments: [SQLValue]) {
        var query = DatedPageQuery(from: "meetings m", dateColumn: "m.date", idColumn: "m.id")
        var actors = filter.actors[...]
        if let first = filter.countries.first {
            // Walk meeting_countries(country, date, meeting_id): in order, no sort, no scan.
            query = DatedPageQuery(
                from: "meeting_countries mc JOIN meetings m ON m.id = mc.meeting_id", dateColumn: "mc.date",
                idColumn: "mc.meeting_id")
            query.require("mc.country = ?", [.text(first)])
        } else if let first = actors.popFirst() {
            // Drive from the actor's participations: bounded by how often the actor met, where
            // walking the date index and testing each meeting could read all of them.
            query = DatedPageQuery(
                from: "meeting_participants p0 JOIN meetings m ON m.id = p0.meeting_id", dateColumn: "m.date",
                idColumn: "m.id")
            query.require("p0.actor_id = ?", [.text(first)])
        }
        query.requireEvery(
            Array(filter.countries.dropFirst()), in: "meeting_countries x", key: "x.meeting_id", column: "x.country",
            of: "m.id")
        query.requireEvery(
            Array(actors), in: "meeting_participants p", key: "p.meeting_id", column: "p.actor_id", of: "m.id")
        query.require("m.kind", in: filter.kinds)
        if !filter.topics.isEmpty {
            // An IN list the planner can drive from meeting_topics(topic, meeting_id).
            query.require(
                "\(query.idColumn) IN (SELECT meeting_id FROM meeting_topics WHERE topic IN ("
                    + filter.topics.map { _ in "?" }.joined(separator: ",") + "))", filter.topics.map(SQLValue.text))
        }
        if let text = filter.paging.query, let match = FullTextQuery.words(text) {
            query.require(dialect.fullTextMatch("meetings", alias: "m"), [.text(match)])
        }
        return query.sql(filter.paging, columns: columns)
    }
}
