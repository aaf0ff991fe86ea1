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
        try ActorSearchSchema.create(db)
    }

    static func createPairs(_ db: Database) throws {
        // (table, its id column, the derived country table, whether rows carry a date)
        let sources = [
            ("meeting_pairs", "meeting_id", "meeting_countries"),
            ("statement_pairs", "statement_id", "statement_countries"),
        ]
        for (table, id, countries) in sources {
            try db.execute(
                """
                CREATE TABLE \(table) (
                    a TEXT NOT NULL,
                    b TEXT NOT NULL,
                    date TEXT NOT NULL,
                    \(id) TEXT NOT NULL,
                    PRIMARY KEY (a, b, date, \(id))
                ) WITHOUT ROWID;
                CREATE INDEX \(table)_b ON \(table)(b, a);
                CREATE INDEX \(table)_record ON \(table)(\(id));
                CREATE TRIGGER \(countries)_pairs_insert AFTER INSERT ON \(countries) BEGIN
                    INSERT OR IGNORE INTO \(table) (a, b, date, \(id))
                    SELECT min(new.country, x.country), max(new.country, x.country), new.date, new.\(id)
                    FROM \(countries) x WHERE x.\(id) = new.\(id) AND x.country <> new.country;
                END;
                CREATE TRIGGER \(countries)_pairs_delete AFTER DELETE ON \(countries) BEGIN
                    DELETE FROM \(table) WHERE \(id) = old.\(id) AND (a = old.country OR b = old.country);
                END;
                CREATE TRIGGER \(countries)_pairs_update AFTER UPDATE ON \(countries) BEGIN
                    DELETE FROM \(table) WHERE \(id) = old.\(id) AND (a = old.country OR b = old.country);
                    INSERT OR IGNORE INTO \(table) (a, b, date, \(id))
                    SELECT min(new.country, x.country), max(new.country, x.country), new.date, new.\(id)
                    FROM \(countries) x WHERE x.\(id) = new.\(id) AND x.country <> new.country;
                END;
                INSERT INTO \(table) (a, b, date, \(id))
                SELECT x.country, y.country, x.date, x.\(id) FROM \(countries) x
                JOIN \(countries) y ON y.\(id) = x.\(id) AND y.country > x.country;
                """)
        }
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
            CREATE INDEX initiative_pairs_b ON initiative_pairs(b, a);
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
