import SQLiteStore

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

    static func create(_ db: Database) throws {
        try createPairs(db)
        try createPairCounters(db)
        try createCounters(db)
        try ActorSearchSchema.create(db)
    }

    static func createPairs(_ db: Database) throws {
        // Each pair row also carries what a relation's summary aggregates — a meeting's
        // participants and topics, a statement's speaker and topics — as JSON arrays of distinct
        // ids. Triggers on the child tables keep the copies current whatever order a write path
        // touches the tables in, and the per-pair counters (`createPairCounters`) follow the copies.
        let meetingActors =
            "(SELECT json_group_array(DISTINCT actor_id) FROM meeting_participants WHERE meeting_id = %)"
        let meetingTopics = "(SELECT json_group_array(DISTINCT topic) FROM meeting_topics WHERE meeting_id = %)"
        let statementSpeaker = "(SELECT json_array(speaker_id) FROM statements WHERE id = %)"
        let statementTopics =
            "(SELECT json_group_array(DISTINCT topic) FROM statement_topics WHERE statement_id = %)"
        func of(_ template: String, _ id: String) -> String {
            template.split(separator: "%", omittingEmptySubsequences: false).joined(separator: id)
        }
        // (table, id column, derived country table, payload columns, their values for a record id)
        let sources: [(String, String, String, [String], [String])] = [
            (
                "meeting_pairs", "meeting_id", "meeting_countries", ["actors", "topics"],
                [meetingActors, meetingTopics]
            ),
            (
                "statement_pairs", "statement_id", "statement_countries", ["actors", "topics"],
                [statementSpeaker, statementTopics]
            ),
        ]
        for (table, id, countries, columns, values) in sources {
            let payload = columns.joined(separator: ", ")
            let newValues = values.map { of($0, "new.\(id)") }.joined(separator: ", ")
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
                INSERT INTO \(table) (a, b, date, \(id), \(payload))
                SELECT x.country, y.country, x.date, x.\(id), \(values.map { of($0, "x.\(id)") }.joined(separator: ", "))
                FROM \(countries) x JOIN \(countries) y ON y.\(id) = x.\(id) AND y.country > x.country;
                """)
        }
        // The copies follow their sources.
        for (child, id, table, column, template) in [
            ("meeting_participants", "meeting_id", "meeting_pairs", "actors", meetingActors),
            ("meeting_topics", "meeting_id", "meeting_pairs", "topics", meetingTopics),
            ("statement_topics", "statement_id", "statement_pairs", "topics", statementTopics),
        ] {
            for (event, row) in [("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new")] {
                try db.execute(
                    """
                    CREATE TRIGGER \(child)_\(table)_\(event.lowercased()) AFTER \(event) ON \(child) BEGIN
                        UPDATE \(table) SET \(column) = \(of(template, "\(row).\(id)")) WHERE \(id) = \(row).\(id);
                    END;
                    """)
            }
        }
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
