import Storage

/// Migration 6: what reading a relationship needs — pair indexes for the relation endpoints and
/// the full-text index of actors for `/v1/search` and the actors' `q`.
///
/// A pair table holds one row per record and unordered pair of its countries (`a < b`), so a
/// pair's meetings, statements or initiatives are one index range, already in date order, where
/// intersecting two countries' lists would read every record of the busier country. The rows are
/// written only by triggers on `meeting_countries`, `statement_countries` and
/// `initiative_countries`, the tables they derive from, so every write path (endpoints, import,
/// cascading deletes, `DerivedCountries` refreshes) keeps them exact: the pair counts are the
/// counts of `?country=A&country=B` on the collections by construction.
enum RelationSchema {
    static let migration = Migration(version: 6, name: "relations", apply: create)

    /// Migration 8: the pair triggers again, with `payloads` in place of migration 6's DISTINCT
    /// aggregates, which built two temporary tables for every pair row written (a seventh of a
    /// meeting POST). Same rows, same arrays.
    /// Migration 9: a meeting's participants and topics, and a statement's topics, no longer copy
    /// themselves onto the pair rows row by row. Every write of them is a meeting or statement
    /// write, which ends with a `DerivedCountries` refresh of that record: it deletes the record's
    /// countries, and with them its pair rows, and inserts them again with payloads computed from
    /// the lists as written. The copy triggers only repeated that work — a trigger program per
    /// participant or topic row (a tenth of a meeting POST), before a new meeting's pair rows even
    /// existed.
    static let listCopiesMigration = Migration(version: 9, name: "pair_payloads_by_the_refresh") { db in
        for (child, table) in [
            ("meeting_participants", "meeting_pairs"), ("meeting_topics", "meeting_pairs"),
            ("statement_topics", "statement_pairs"),
        ] {
            for event in ["insert", "delete", "update"] {
                try db.execute("DROP TRIGGER IF EXISTS \(child)_\(table)_\(event)")
            }
        }
    }

    static let payloadMigration = Migration(version: 8, name: "pair_payloads_without_temporary_tables") { db in
        for name in pairTriggerNames {
            try db.execute("DROP TRIGGER IF EXISTS \(name)")
        }
        try db.execute(pairTriggers(payloads))
    }

    static func create(_ db: any Database) throws {
        try createPairs(db)
        try createPairCounters(db)
        try createCounters(db)
        try ActorSearchSchema.create(db)
    }

    /// What a pair row carries, as SQL templates of a record id (`%`): a meeting's participants
    /// and topics, a statement's speaker and topics, as JSON arrays of distinct ids.
    struct Payloads: Sendable {
        var meetingActors: String
        var meetingTopics: String
        var statementSpeaker: String
        var statementTopics: String
    }

    /// Migration 6's payloads: DISTINCT aggregates, each of which builds a temporary table.
    static let payloadsOfMigration6 = Payloads(
        meetingActors: "(SELECT json_group_array(DISTINCT actor_id) FROM meeting_participants WHERE meeting_id = %)",
        meetingTopics: "(SELECT json_group_array(DISTINCT topic) FROM meeting_topics WHERE meeting_id = %)",
        statementSpeaker: "(SELECT json_array(speaker_id) FROM statements WHERE id = %)",
        statementTopics: "(SELECT json_group_array(DISTINCT topic) FROM statement_topics WHERE statement_id = %)")

    /// Migration 8's: the same arrays, in the same order, without a temporary table. A meeting
    /// lists an actor once (its `UNIQUE (meeting_id, actor_id)`); a topic named twice is kept at
    /// its first position.
    static let payloads = Payloads(
        meetingActors: "(SELECT json_group_array(actor_id) FROM meeting_participants WHERE meeting_id = %)",
        meetingTopics: """
            (SELECT json_group_array(topic) FROM meeting_topics t WHERE t.meeting_id = % AND NOT EXISTS
                (SELECT 1 FROM meeting_topics u WHERE u.meeting_id = t.meeting_id AND u.topic = t.topic
                 AND u.position < t.position))
            """,
        statementSpeaker: "(SELECT json_array(speaker_id) FROM statements WHERE id = %)",
        statementTopics: """
            (SELECT json_group_array(topic) FROM statement_topics t WHERE t.statement_id = % AND NOT EXISTS
                (SELECT 1 FROM statement_topics u WHERE u.statement_id = t.statement_id AND u.topic = t.topic
                 AND u.position < t.position))
            """)

    /// `template` with its `%` replaced by `id`.
    static func of(_ template: String, _ id: String) -> String {
        template.split(separator: "%", omittingEmptySubsequences: false).joined(separator: id)
    }

    /// (table, id column, derived country table, payload columns, their templates)
    private static func pairTables(_ payloads: Payloads) -> [(String, String, String, [String], [String])] {
        [
            (
                "meeting_pairs", "meeting_id", "meeting_countries", ["actors", "topics"],
                [payloads.meetingActors, payloads.meetingTopics]
            ),
            (
                "statement_pairs", "statement_id", "statement_countries", ["actors", "topics"],
                [payloads.statementSpeaker, payloads.statementTopics]
            ),
        ]
    }

    /// The triggers that write the meeting and statement pair rows and keep their payloads current.
    static func pairTriggers(_ payloads: Payloads) -> String {
        var sql = ""
        for (table, id, countries, columns, values) in pairTables(payloads) {
            let payload = columns.joined(separator: ", ")
            let newValues = values.map { of($0, "new.\(id)") }.joined(separator: ", ")
            sql += """
                CREATE TRIGGER \(countries)_pairs_insert AFTER INSERT ON \(countries) BEGIN
                    INSERT OR IGNORE INTO \(table) (a, b, date, \(id), \(payload))
                    SELECT min(new.country, x.country), max(new.country, x.country), new.date, new.\(id), \(newValues)
                    FROM \(countries) x WHERE x.\(id) = new.\(id) AND x.country <> new.country;
                END;
                CREATE TRIGGER \(countries)_pairs_delete AFTER DELETE ON \(countries) BEGIN
                    DELETE FROM \(table) WHERE \(id) = old.\(id) AND (a = old.country OR b = old.country);
                END;
                CREATE TRIGGER \(countries)_pairs_update AFTER UPDATE ON \(countries) BEGIN
                    DELETE FROM \(table) WHERE \(id) = old.\(id) AND (a = old.country OR b = old.country);
                    INSERT OR IGNORE INTO \(table) (a, b, date, \(id), \(payload))
                    SELECT min(new.country, x.country), max(new.country, x.country), new.date, new.\(id), \(newValues)
                    FROM \(countries) x WHERE x.\(id) = new.\(id) AND x.country <> new.country;
                END;

                """
        }
        // The copies follow their sources.
        for (child, id, table, column, template) in [
            ("meeting_participants", "meeting_id", "meeting_pairs", "actors", payloads.meetingActors),
            ("meeting_topics", "meeting_id", "meeting_pairs", "topics", payloads.meetingTopics),
            ("statement_topics", "statement_id", "statement_pairs", "topics", payloads.statementTopics),
        ] {
            for (event, row) in [("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new")] {
                sql += """
                    CREATE TRIGGER \(child)_\(table)_\(event.lowercased()) AFTER \(event) ON \(child) BEGIN
                        UPDATE \(table) SET \(column) = \(of(template, "\(row).\(id)")) WHERE \(id) = \(row).\(id);
                    END;

                    """
            }
        }
        return sql
    }

    /// The names of the triggers `pairTriggers` creates.
    static let pairTriggerNames: [String] =
        ["meeting_countries", "statement_countries"].flatMap { countries in
            ["insert", "delete", "update"].map { "\(countries)_pairs_\($0)" }
        }
        + [
            ("meeting_participants", "meeting_pairs"), ("meeting_topics", "meeting_pairs"),
            ("statement_topics", "statement_pairs"),
        ].flatMap { child, table in ["insert", "delete", "update"].map { "\(child)_\(table)_\($0)" } }

    static func createPairs(_ db: any Database) throws {
        // Each pair row also carries what a relation's summary aggregates — a meeting's
        // participants and topics, a statement's speaker and topics — as JSON arrays of distinct
        // ids. Triggers on the child tables keep the copies current whatever order a write path
        // touches the tables in, and the per-pair counters (`createPairCounters`) follow the copies.
        let payloads = payloadsOfMigration6
        for (table, id, countries, columns, values) in pairTables(payloads) {
            let payload = columns.joined(separator: ", ")
            try db.execute(
                """
                CREATE TABLE \(table) (
                    a TEXT NOT NULL,
                    b TEXT NOT NULL,
                    date TEXT NOT NULL,
                    \(id) TEXT NOT NULL,
                    actors TEXT,
                    topics TEXT,
                    PRIMARY KEY (a, b, date, \(id))
                ) WITHOUT ROWID;
                CREATE INDEX \(table)_record ON \(table)(\(id));
                INSERT INTO \(table) (a, b, date, \(id), \(payload))
                SELECT x.country, y.country, x.date, x.\(id), \(values.map { of($0, "x.\(id)") }.joined(separator: ", "))
                FROM \(countries) x JOIN \(countries) y ON y.\(id) = x.\(id) AND y.country > x.country;
                """)
        }
        try db.execute(pairTriggers(payloads))
        try db.execute(
            """
            CREATE TRIGGER statements_statement_pairs_speaker AFTER UPDATE OF speaker_id ON statements BEGIN
                UPDATE statement_pairs SET actors = json_array(new.speaker_id) WHERE statement_id = new.id;
            END;
            """)
        // Initiatives have no single date (their events are status changes), and their countries
        // are given, not derived; an initiative lists a country at most once.
        try db.execute(
            """
            CREATE TABLE initiative_pairs (
                a TEXT NOT NULL,
                b TEXT NOT NULL,
                initiative_id TEXT NOT NULL,
                PRIMARY KEY (a, b, initiative_id)
            ) WITHOUT ROWID;
            CREATE INDEX initiative_pairs_record ON initiative_pairs(initiative_id);
            CREATE TRIGGER initiative_countries_pairs_insert AFTER INSERT ON initiative_countries BEGIN
                INSERT OR IGNORE INTO initiative_pairs (a, b, initiative_id)
                SELECT min(new.country, x.country), max(new.country, x.country), new.initiative_id
                FROM initiative_countries x WHERE x.initiative_id = new.initiative_id AND x.country <> new.country;
            END;
            CREATE TRIGGER initiative_countries_pairs_delete AFTER DELETE ON initiative_countries BEGIN
                DELETE FROM initiative_pairs WHERE initiative_id = old.initiative_id
                    AND (a = old.country OR b = old.country)
                    AND NOT EXISTS (SELECT 1 FROM initiative_countries x
                                    WHERE x.initiative_id = old.initiative_id AND x.country = old.country);
            END;
            INSERT OR IGNORE INTO initiative_pairs (a, b, initiative_id)
            SELECT x.country, y.country, x.initiative_id FROM initiative_countries x
            JOIN initiative_countries y ON y.initiative_id = x.initiative_id AND y.country > x.country;
            """)
    }
}
