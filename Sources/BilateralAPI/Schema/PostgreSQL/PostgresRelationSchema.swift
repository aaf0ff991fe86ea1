import Storage

/// Migrations 6, 8 and 9 on PostgreSQL: the pair tables of ``RelationSchema``, their triggers in
/// their final form, the counters (`PostgresRelationSchema+Counters`) and the actors' search
/// (``PostgresActorSearchSchema``).
///
/// Migration 6 creates the triggers as SQLite has them after migration 9: pair rows carry
/// migration 8's payloads (the same JSON arrays, byte for byte), and no trigger copies a meeting's
/// participants or topics, or a statement's topics, onto its pair rows (the `DerivedCountries`
/// refresh that ends every such write rewrites the pair rows). Migrations 8 and 9 are then empty.
///
/// PostgreSQL runs a row-level AFTER trigger at the end of the statement, where SQLite runs it
/// after each row; every trigger here gives the same rows whichever it is (a pair is written by
/// `ON CONFLICT DO NOTHING` from either of its countries, a delete is idempotent), except the
/// area counts of topics, which are BEFORE triggers for that reason (see there).
///
/// Every trigger on `meeting_countries`, `meeting_pairs`, `statement_countries` and
/// `statement_pairs` is skipped while its table is named in the transaction-local setting
/// `bilateral.suspended_triggers`: what `DeferredRefresh` needs (`Database.withoutTriggers`), where
/// SQLite drops and re-creates the triggers, which on PostgreSQL would lock the tables against
/// every reader until commit.
enum PostgresRelationSchema {
    static let migration = Migration(version: 6, name: "relations", apply: create)

    /// Migration 8: on SQLite, the pair triggers again with payloads computed without temporary
    /// tables. Migration 6 creates them so here.
    static let payloadMigration = Migration(version: 8, name: "pair_payloads_without_temporary_tables") { _ in }

    /// Migration 9: on SQLite, drops the triggers that copied participants and topics onto the pair
    /// rows. Migration 6 does not create them here.
    static let listCopiesMigration = Migration(version: 9, name: "pair_payloads_by_the_refresh") { _ in }

    static func create(_ db: any Database) throws {
        try db.execute(suspensionFunction)
        try createPairs(db)
        try createPairCounters(db)
        try createCounters(db)
        try PostgresActorSearchSchema.create(db)
    }

    /// The WHEN condition of a trigger on `table` that `withoutTriggers` can suspend.
    static func unlessSuspended(_ table: String) -> String {
        "WHEN (NOT bilateral_triggers_suspended('\(table)'))"
    }

    /// Whether the current transaction suspended the triggers of a table (`PostgresDatabase`'s
    /// `withoutTriggers` names them, comma-separated, in `bilateral.suspended_triggers`).
    static let suspensionFunction = """
        CREATE FUNCTION bilateral_triggers_suspended(name text) RETURNS boolean LANGUAGE sql STABLE AS $$
            SELECT name = ANY (string_to_array(coalesce(current_setting('bilateral.suspended_triggers', true), ''), ','))
        $$;
        """

    /// `CREATE FUNCTION bilateral_<name>() ... CREATE TRIGGER <name> ...`: a row-level trigger whose
    /// function runs `body` (PL/pgSQL statements) and returns `returns`.
    static func trigger(
        _ name: String, _ timing: String, on table: String, when: String = "", returns: String = "NULL",
        _ body: String
    ) -> String {
        """
        CREATE FUNCTION bilateral_\(name)() RETURNS trigger LANGUAGE plpgsql AS $function$
        BEGIN
        \(body)
        RETURN \(returns);
        END
        $function$;
        CREATE TRIGGER \(name) \(timing) ON \(table) FOR EACH ROW \(when)
            EXECUTE FUNCTION bilateral_\(name)();

        """
    }

    /// A JSON array of the text values `expression` aggregates, in `order`, as SQLite's
    /// `json_group_array` writes it: no spaces, `[]` when there is none.
    static func jsonArray(of expression: String, orderBy order: String) -> String {
        "coalesce('[' || string_agg(to_json(\(expression))::text, ',' ORDER BY \(order)) || ']', '[]')"
    }

    typealias Payloads = RelationSchema.Payloads

    /// What a pair row carries, as SQL templates of a record id (`%`): migration 8's payloads
    /// (``RelationSchema/payloads``), in the same order and the same JSON text. SQLite aggregates
    /// in the order of the index it reads: topics by their primary key, `position`; a meeting's
    /// actors by its covering `UNIQUE (meeting_id, actor_id)` index, so by `actor_id` (checked with
    /// `EXPLAIN QUERY PLAN` on SQLite 3.40).
    static let payloads = Payloads(
        meetingActors: """
            (SELECT \(jsonArray(of: "actor_id", orderBy: "actor_id")) FROM meeting_participants WHERE meeting_id = %)
            """,
        meetingTopics: """
            (SELECT \(jsonArray(of: "t.topic", orderBy: "t.position")) FROM meeting_topics t WHERE t.meeting_id = % AND NOT EXISTS
                (SELECT 1 FROM meeting_topics u WHERE u.meeting_id = t.meeting_id AND u.topic = t.topic
                 AND u.position < t.position))
            """,
        statementSpeaker: "(SELECT '[' || to_json(speaker_id)::text || ']' FROM statements WHERE id = %)",
        statementTopics: """
            (SELECT \(jsonArray(of: "t.topic", orderBy: "t.position")) FROM statement_topics t WHERE t.statement_id = % AND NOT EXISTS
                (SELECT 1 FROM statement_topics u WHERE u.statement_id = t.statement_id AND u.topic = t.topic
                 AND u.position < t.position))
            """)

    /// `template` with its `%` replaced by `id`.
    static func of(_ template: String, _ id: String) -> String {
        template.split(separator: "%", omittingEmptySubsequences: false).joined(separator: id)
    }

    /// (table, id column, derived country table, payload templates)
    static let pairTables: [(table: String, id: String, countries: String, actors: String, topics: String)] = [
        ("meeting_pairs", "meeting_id", "meeting_countries", payloads.meetingActors, payloads.meetingTopics),
        ("statement_pairs", "statement_id", "statement_countries", payloads.statementSpeaker, payloads.statementTopics),
    ]

    static func createPairs(_ db: any Database) throws {
        var sql = ""
        for (table, id, countries, actors, topics) in pairTables {
            let insertPairs = """
                INSERT INTO \(table) (a, b, date, \(id), actors, topics)
                SELECT least(NEW.country COLLATE "C", x.country), greatest(NEW.country COLLATE "C", x.country),
                    NEW.date, NEW.\(id), \(of(actors, "NEW.\(id)")), \(of(topics, "NEW.\(id)"))
                FROM \(countries) x WHERE x.\(id) = NEW.\(id) AND x.country <> NEW.country
                ON CONFLICT DO NOTHING;
                """
            let deletePairs = """
                DELETE FROM \(table) WHERE \(id) = OLD.\(id) AND (a = OLD.country OR b = OLD.country);
                """
            sql += """
                CREATE TABLE \(table) (
                    a TEXT COLLATE "C" NOT NULL,
                    b TEXT COLLATE "C" NOT NULL,
                    date TEXT COLLATE "C" NOT NULL,
                    \(id) TEXT COLLATE "C" NOT NULL,
                    actors TEXT COLLATE "C",
                    topics TEXT COLLATE "C",
                    PRIMARY KEY (a, b, date, \(id))
                );
                CREATE INDEX \(table)_record ON \(table) (\(id));

                """
            sql += trigger(
                "\(countries)_pairs_insert", "AFTER INSERT", on: countries, when: unlessSuspended(countries),
                insertPairs)
            sql += trigger(
                "\(countries)_pairs_delete", "AFTER DELETE", on: countries, when: unlessSuspended(countries),
                deletePairs)
            sql += trigger(
                "\(countries)_pairs_update", "AFTER UPDATE", on: countries, when: unlessSuspended(countries),
                deletePairs + "\n" + insertPairs)
        }
        sql += trigger(
            "statements_statement_pairs_speaker", "AFTER UPDATE OF speaker_id", on: "statements",
            """
            UPDATE statement_pairs SET actors = '[' || to_json(NEW.speaker_id)::text || ']' WHERE statement_id = NEW.id;
            """)
        // Initiatives have no single date (their events are status changes), and their countries
        // are given, not derived; an initiative lists a country at most once.
        sql += """
            CREATE TABLE initiative_pairs (
                a TEXT COLLATE "C" NOT NULL,
                b TEXT COLLATE "C" NOT NULL,
                initiative_id TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (a, b, initiative_id)
            );
            CREATE INDEX initiative_pairs_record ON initiative_pairs (initiative_id);

            """
        sql += trigger(
            "initiative_countries_pairs_insert", "AFTER INSERT", on: "initiative_countries",
            """
            INSERT INTO initiative_pairs (a, b, initiative_id)
            SELECT least(NEW.country COLLATE "C", x.country), greatest(NEW.country COLLATE "C", x.country),
                NEW.initiative_id
            FROM initiative_countries x WHERE x.initiative_id = NEW.initiative_id AND x.country <> NEW.country
            ON CONFLICT DO NOTHING;
            """)
        sql += trigger(
            "initiative_countries_pairs_delete", "AFTER DELETE", on: "initiative_countries",
            """
            DELETE FROM initiative_pairs WHERE initiative_id = OLD.initiative_id
                AND (a = OLD.country OR b = OLD.country)
                AND NOT EXISTS (SELECT 1 FROM initiative_countries x
                                WHERE x.initiative_id = OLD.initiative_id AND x.country = OLD.country);
            """)
        try db.execute(sql)
    }
}
