import SQLiteStore

/// SQL for meetings. A page of any length loads with one query per table.
enum MeetingRepository {
    /// The meetings with these ids, in the order given, with their derived fields.
    static func load(_ ids: [String], in db: Database) throws -> [MeetingView] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let arguments = ids.map(SQLiteValue.text)
        // Views in an array, found through an index: appending children mutates them in place
        // (through a dictionary of views each append copied the view: a fifth of an export's time).
        var views: [MeetingView] = []
        var index: [String: Int] = [:]
        views.reserveCapacity(ids.count)
        index.reserveCapacity(ids.count)
        try db.forEachRow(
            """
            SELECT id, title, date, date_precision, kind, location_city, location_country, summary,
                   created_at, updated_at, version
            FROM meetings WHERE id IN (\(marks))
            """, arguments
        ) { row in
            let id = try row.string(0)
            let content = MeetingContent(
                title: try row.string(1), date: try row.string(2), datePrecision: try row.string(3),
                kind: try row.string(4), locationCity: row.optionalString(5), locationCountry: row.optionalString(6),
                participants: [], topics: [], summary: row.optionalString(7), initiativeIDs: [], sourceIDs: [])
            index[id] = views.count
            views.append(
                MeetingView(
                    record: StoredRecord(
                        id: id, content: content, createdAt: try row.string(8), updatedAt: try row.string(9),
                        version: try row.int(10)),
                    participants: [], countries: []))
        }
        guard !views.isEmpty else { return [] }
        try db.forEachRow(
            """
            SELECT p.meeting_id, p.actor_id, p.role, a.name, a.country
            FROM meeting_participants p JOIN actors a ON a.id = p.actor_id
            WHERE p.meeting_id IN (\(marks)) ORDER BY p.meeting_id, p.position
            """, arguments
        ) { row in
            guard let at = index[try row.string(0)] else { return }
            views[at].record.content.participants.append(.init(actorID: try row.string(1), role: try row.string(2)))
            views[at].participants.append(.init(name: try row.string(3), country: row.optionalString(4)))
        }
        try db.forEachRow(
            "SELECT meeting_id, country FROM meeting_countries WHERE meeting_id IN (\(marks)) ORDER BY meeting_id, country",
            arguments
        ) { row in
            guard let at = index[try row.string(0)] else { return }
            views[at].countries.append(try row.string(1))
        }
        try db.forEachRow(
            "SELECT meeting_id, topic FROM meeting_topics WHERE meeting_id IN (\(marks)) ORDER BY meeting_id, position",
            arguments
        ) { row in
            guard let at = index[try row.string(0)] else { return }
            views[at].record.content.topics.append(try row.string(1))
        }
        try db.forEachRow(
            """
            SELECT meeting_id, initiative_id FROM initiative_meetings WHERE meeting_id IN (\(marks))
            ORDER BY meeting_id, initiative_id
            """, arguments
        ) { row in
            guard let at = index[try row.string(0)] else { return }
            views[at].record.content.initiativeIDs.append(try row.string(1))
        }
        try db.forEachRow(
            "SELECT meeting_id, source_id FROM meeting_sources WHERE meeting_id IN (\(marks)) ORDER BY meeting_id, position",
            arguments
        ) { row in
            guard let at = index[try row.string(0)] else { return }
            views[at].record.content.sourceIDs.append(try row.string(1))
        }
        return ids.compactMap { index[$0].map { views[$0] } }
    }

    /// The derived fields of `record` as the database has them now (after a write).
    static func view(of record: StoredRecord<MeetingContent>, in db: Database) throws -> MeetingView {
        let participants = try record.content.participants.map { participant -> MeetingView.Participant in
            try db.queryOne("SELECT name, country FROM actors WHERE id = ?", [.text(participant.actorID)]) {
                MeetingView.Participant(name: try $0.string(0), country: $0.optionalString(1))
            } ?? MeetingView.Participant(name: "", country: nil)
        }
        let countries = try db.query(
            "SELECT country FROM meeting_countries WHERE meeting_id = ? ORDER BY country", [.text(record.id)]
        ) { try $0.string(0) }
        return MeetingView(record: record, participants: participants, countries: countries)
    }

    static func insert(_ record: StoredRecord<MeetingContent>, in db: Database) throws {
        let c = record.content
        try db.execute(
            """
            INSERT INTO meetings (id, title, date, date_precision, kind, location_city, location_country, summary,
                                  created_at, updated_at, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(record.id), .text(c.title), .text(c.date), .text(c.datePrecision), .text(c.kind),
                c.locationCity.sqliteValue, c.locationCountry.sqliteValue, c.summary.sqliteValue,
                .text(record.createdAt),
                .text(record.updatedAt), .integer(Int64(record.version)),
            ])
        try insertChildren(record, in: db)
    }

    static func update(_ record: StoredRecord<MeetingContent>, in db: Database) throws {
        let c = record.content
        try db.execute(
            """
            UPDATE meetings SET title = ?, date = ?, date_precision = ?, kind = ?, location_city = ?,
                location_country = ?, summary = ?, updated_at = ?, version = ?
            WHERE id = ?
            """,
            [
                .text(c.title), .text(c.date), .text(c.datePrecision), .text(c.kind), c.locationCity.sqliteValue,
                c.locationCountry.sqliteValue, c.summary.sqliteValue, .text(record.updatedAt),
                .integer(Int64(record.version)), .text(record.id),
            ])
        for table in ["meeting_participants", "meeting_topics", "meeting_sources", "initiative_meetings"] {
            try db.execute("DELETE FROM \(table) WHERE meeting_id = ?", [.text(record.id)])
        }
        try insertChildren(record, in: db)
    }

    private static func insertChildren(_ record: StoredRecord<MeetingContent>, in db: Database) throws {
        let id = SQLiteValue.text(record.id)
        for (position, participant) in record.content.participants.enumerated() {
            try db.execute(
                "INSERT INTO meeting_participants (meeting_id, position, actor_id, role) VALUES (?, ?, ?, ?)",
                [id, .integer(Int64(position)), .text(participant.actorID), .text(participant.role)])
        }
        for (position, topic) in record.content.topics.enumerated() {
            try db.execute(
                "INSERT INTO meeting_topics (meeting_id, position, topic) VALUES (?, ?, ?)",
                [id, .integer(Int64(position)), .text(topic)])
        }
        for (position, source) in record.content.sourceIDs.enumerated() {
            try db.execute(
                "INSERT INTO meeting_sources (meeting_id, position, source_id) VALUES (?, ?, ?)",
                [id, .integer(Int64(position)), .text(source)])
        }
        for initiative in record.content.initiativeIDs {
            try db.execute(
                "INSERT OR IGNORE INTO initiative_meetings (initiative_id, meeting_id) VALUES (?, ?)",
                [.text(initiative), id])
        }
        try DerivedCountries.refreshMeetings("SELECT ?", [id], in: db)
        try DerivedCountries.refreshStatements("SELECT id FROM statements WHERE meeting_id = ?", [id], in: db)
    }

    struct Filter {
        var countries: [String] = []
        var actors: [String] = []
        var kinds: [String] = []
        var topics: [String] = []
        var paging = DatedPaging()
    }

    /// One page of (date, id) in date order, ties by id; `limit + 1` rows so the caller knows
    /// whether more follow. With a country filter the walk follows the
    /// `meeting_countries(country, date, meeting_id)` index, so no sort and no scan.
    static func page(_ filter: Filter, in db: Database) throws -> [(id: String, date: String)] {
        let (sql, arguments) = pageQuery(filter)
        return try db.query(sql, arguments) { (id: try $0.string(0), date: try $0.string(1)) }
    }

    /// The SQL and arguments of `page`, apart so tests can check its query plan.
    static func pageQuery(_ filter: Filter) -> (sql: String, arguments: [SQLiteValue]) {
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
        for country in filter.countries.dropFirst() {
            query.require(
                "EXISTS (SELECT 1 FROM meeting_countries x WHERE x.meeting_id = m.id AND x.country = ?)",
                [.text(country)])
        }
        for actor in actors {
            query.require(
                "EXISTS (SELECT 1 FROM meeting_participants p WHERE p.meeting_id = m.id AND p.actor_id = ?)",
                [.text(actor)])
        }
        query.require("m.kind", in: filter.kinds)
        if !filter.topics.isEmpty {
            // An IN list the planner can drive from meeting_topics(topic, meeting_id).
            query.require(
                "\(query.idColumn) IN (SELECT meeting_id FROM meeting_topics WHERE topic IN ("
                    + filter.topics.map { _ in "?" }.joined(separator: ",") + "))", filter.topics.map(SQLiteValue.text))
        }
        if let text = filter.paging.query, let match = TextSearchSchema.matchQuery(text) {
            query.require("m.rowid IN (SELECT rowid FROM meetings_fts WHERE meetings_fts MATCH ?)", [.text(match)])
        }
        return query.sql(filter.paging)
    }
}
