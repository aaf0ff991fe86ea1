import Storage

/// Keeps `meeting_countries` and `statement_countries` equal to what they derive from, in the
/// transaction of the write that changed their inputs. The only code that writes either table.
///
/// A meeting's countries: the distinct countries of its participants. A statement's: its
/// speaker's country, its `about` countries, and its meeting's countries.
///
/// While a ``DeferredRefresh`` is open on the connection (an import), a refresh only notes its
/// records, and the deferral recomputes them together later in the same transaction.
enum DerivedCountries {
    /// The records a refresh recomputes.
    enum Selection {
        /// One record: `column = ?`, a plain index lookup.
        case one(String)
        /// The ids a subquery yields: `column IN (subquery)`.
        case query(String, [SQLValue])

        /// The condition on `column` and its arguments.
        func condition(_ column: String) -> (sql: String, arguments: [SQLValue]) {
            switch self {
            case .one(let id): ("\(column) = ?", [.text(id)])
            case .query(let sql, let arguments): ("\(column) IN (\(sql))", arguments)
            }
        }
    }

    /// Recomputes the selected meetings, now or, during a deferral, when it flushes.
    /// - Parameter new: the selected meetings were inserted just now, so they have no derived rows
    ///   to replace yet.
    static func refreshMeetings(_ selection: Selection, new: Bool = false, in db: any Database) throws {
        if let deferral = db[attachment: DeferredRefresh.self] {
            try deferral.note(selection, of: .meetings, in: db)
            return
        }
        try recomputeMeetings(selection, replacing: !new, in: db)
    }

    /// Recomputes the selected statements, now or, during a deferral, when it flushes.
    static func refreshStatements(_ selection: Selection, in db: any Database) throws {
        if let deferral = db[attachment: DeferredRefresh.self] {
            try deferral.note(selection, of: .statements, in: db)
            return
        }
        try recomputeStatements(selection, in: db)
    }

    /// Writes the derived countries of the selected meetings (their pair rows follow by trigger).
    /// - Parameter replacing: whether the selected meetings may have derived rows already.
    static func recomputeMeetings(_ selection: Selection, replacing: Bool = true, in db: any Database) throws {
        let (meetings, arguments) = selection.condition("meeting_id")
        if replacing {
            try db.execute("DELETE FROM meeting_countries WHERE \(meetings)", arguments)
        }
        // ON CONFLICT DO NOTHING against the (meeting_id, country) key does what DISTINCT would,
        // without building a temporary table on every meeting write.
        let rows = """
            SELECT p.meeting_id, a.country, m.date
            FROM meeting_participants p JOIN actors a ON a.id = p.actor_id JOIN meetings m ON m.id = p.meeting_id
            WHERE p.\(meetings) AND a.country IS NOT NULL
            """
        let insert = "INSERT INTO meeting_countries (meeting_id, country, date)"
        switch selection {
        case .one where !SQLDialect.of(db).statementsAreRoundTrips:
            // One meeting's few rows go in as values: SQLite copies the result of an
            // `INSERT ... SELECT` into a temporary table first when the target table has triggers,
            // as `meeting_countries` has (its pairs), which cost a meeting POST 59,000 instructions
            // (callgrind, SQLite 3.40).
            let found = try db.query(rows, arguments) { row in
                [SQLValue.text(try row.string(0)), .text(try row.string(1)), .text(try row.string(2))]
            }
            for values in found {
                try db.execute("\(insert) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", values)
            }
        case .one, .query:
            try db.execute("\(insert) \(rows) ON CONFLICT DO NOTHING", arguments)
        }
    }

    /// Writes the derived countries of the selected statements (their pair rows follow by trigger).
    static func recomputeStatements(_ selection: Selection, in db: any Database) throws {
        let (statements, arguments) = selection.condition("statement_id")
        let (ids, _) = selection.condition("s.id")
        try db.execute("DELETE FROM statement_countries WHERE \(statements)", arguments)
        try db.execute(
            """
            INSERT INTO statement_countries (statement_id, country, date)
            SELECT s.id, a.country, s.date FROM statements s JOIN actors a ON a.id = s.speaker_id
            WHERE \(ids) AND a.country IS NOT NULL
            UNION
            SELECT s.id, b.country, s.date FROM statements s JOIN statement_about b ON b.statement_id = s.id
            WHERE \(ids)
            UNION
            SELECT s.id, mc.country, s.date FROM statements s JOIN meeting_countries mc ON mc.meeting_id = s.meeting_id
            WHERE \(ids)
            ON CONFLICT DO NOTHING
            """, arguments + arguments + arguments)
    }

    /// After an actor's country changed: its meetings, then the statements it spoke or that
    /// belong to those meetings.
    static func refreshForActor(_ actorID: String, in db: any Database) throws {
        try refreshMeetings(
            .query("SELECT meeting_id FROM meeting_participants WHERE actor_id = ?", [.text(actorID)]), in: db)
        try refreshStatements(
            .query(
                """
                SELECT id FROM statements WHERE speaker_id = ?
                UNION SELECT s.id FROM statements s JOIN meeting_participants p ON p.meeting_id = s.meeting_id
                WHERE p.actor_id = ?
                """, [.text(actorID), .text(actorID)]), in: db)
    }
}
