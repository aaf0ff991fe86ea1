import Storage

/// Derived countries refreshed set by set instead of record by record, for a bulk write.
///
/// While a deferral is open on a connection (``during(in:flushAt:_:)``, which an import wraps
/// around its lines), `DerivedCountries.refreshMeetings` and `refreshStatements` only note their
/// records, in temporary tables. ``flush(in:)`` then recomputes all of them with a few set-based
/// statements, inside the same transaction. Record by record, each refresh ran the pair and
/// counter triggers once per country row, every trigger program building temporary tables of its
/// own: over half of an import. The flush suspends those triggers and does their work for the
/// whole set (`RelationSchema.removePairs`, `addPairs`).
///
/// Nothing reads the derived countries or pair rows of a noted record before the flush: import
/// lines are checked and written from their content alone.
final class DeferredRefresh {
    /// What a refresh is of.
    enum Kind: CaseIterable {
        case meetings, statements

        /// The temporary table of the noted ids, unqualified.
        var name: String {
            switch self {
            case .meetings: "deferred_meetings"
            case .statements: "deferred_statements"
            }
        }
    }

    /// Records noted since the last flush (counted once per note, so possibly more than distinct).
    private(set) var noted = 0
    /// ``flushIfFull(in:)`` flushes from this many notes on, which bounds the temporary tables.
    let flushAt: Int

    private init(flushAt: Int) {
        self.flushAt = max(1, flushAt)
    }

    /// Runs `body` with refreshes on `db` deferred, then flushes them. `db` must be in a
    /// transaction; if `body` throws, that transaction must be rolled back.
    static func during<T>(in db: any Database, flushAt: Int = 10_000, _ body: (DeferredRefresh) throws -> T) throws -> T
    {
        precondition(db[attachment: DeferredRefresh.self] == nil, "deferrals do not nest")
        for kind in Kind.allCases {
            try db.execute(SQLDialect.of(db).createTemporaryKeyTable(kind.name))
        }
        let deferral = DeferredRefresh(flushAt: flushAt)
        db[attachment: DeferredRefresh.self] = deferral
        defer { db[attachment: DeferredRefresh.self] = nil }
        let result = try body(deferral)
        try deferral.flush(in: db)
        return result
    }

    /// Notes the selected records for the next flush.
    func note(_ selection: DerivedCountries.Selection, of kind: Kind, in db: any Database) throws {
        switch selection {
        case .one(let id):
            try db.execute(
                "INSERT INTO \(SQLDialect.of(db).temporaryTable(kind.name)) (id) VALUES (?) ON CONFLICT DO NOTHING",
                [.text(id)])
        case .query(let sql, let arguments):
            // `WHERE true`: SQLite reads an upsert after `INSERT ... SELECT` only when the SELECT
            // has a WHERE, which tells its ON CONFLICT from a join's ON.
            try db.execute(
                "INSERT INTO \(SQLDialect.of(db).temporaryTable(kind.name)) (id) SELECT * FROM (\(sql)) AS noted WHERE true ON CONFLICT DO NOTHING",
                arguments)
        }
        noted += db.changes
    }

    /// Flushes once ``flushAt`` records are noted. Call it between writes, never while a
    /// statement of `db` is running: a flush changes the schema.
    func flushIfFull(in db: any Database) throws {
        if noted >= flushAt { try flush(in: db) }
    }

    /// Recomputes every noted record: meetings first, since a statement's countries include its
    /// meeting's.
    func flush(in db: any Database) throws {
        guard noted > 0 else { return }
        // The pair tables come with migration 6; a database migrated only part of the way (a
        // test of the migrations) has the derived countries alone.
        let pairs = try SQLDialect.of(db).tableExists("meeting_pairs", in: db)
        let tables = ["meeting_countries", "meeting_pairs", "statement_countries", "statement_pairs"]
        try db.withoutTriggers(on: tables) {
            for (kind, table) in [
                (Kind.meetings, RelationSchema.meetingPairs(in: db)),
                (.statements, RelationSchema.statementPairs(in: db)),
            ] {
                let ids = "SELECT id FROM \(SQLDialect.of(db).temporaryTable(kind.name))"
                if pairs { try RelationSchema.removePairs(of: ids, in: table, db: db) }
                switch kind {
                case .meetings: try DerivedCountries.recomputeMeetings(.query(ids, []), in: db)
                case .statements: try DerivedCountries.recomputeStatements(.query(ids, []), in: db)
                }
                if pairs { try RelationSchema.addPairs(of: ids, in: table, db: db) }
            }
        }
        for kind in Kind.allCases {
            try db.execute("DELETE FROM \(SQLDialect.of(db).temporaryTable(kind.name))", [])
        }
        noted = 0
    }
}
