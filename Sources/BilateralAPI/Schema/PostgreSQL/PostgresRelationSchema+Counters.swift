import Storage

/// The counters of migration 6 on PostgreSQL (see ``RelationSchema``'s `createPairCounters` and
/// `createCounters`): the same tables, kept by the same rules.
extension PostgresRelationSchema {
    /// `pair_topics` and `pair_actors`: per pair, how many of its meetings and statements carry
    /// each topic and each actor. They follow the JSON lists on the pair rows (`json_each` there,
    /// `json_array_elements_text` here).
    static func createPairCounters(_ db: any Database) throws {
        var sql = """
            CREATE TABLE pair_topics (
                a TEXT COLLATE "C" NOT NULL,
                b TEXT COLLATE "C" NOT NULL,
                topic TEXT COLLATE "C" NOT NULL,
                records BIGINT NOT NULL,
                PRIMARY KEY (a, b, topic)
            );
            CREATE TABLE pair_actors (
                a TEXT COLLATE "C" NOT NULL,
                b TEXT COLLATE "C" NOT NULL,
                actor_id TEXT COLLATE "C" NOT NULL,
                meetings BIGINT NOT NULL DEFAULT 0,
                statements BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (a, b, actor_id)
            );

            """
        for (table, column) in [("meeting_pairs", "meetings"), ("statement_pairs", "statements")] {
            // SQLite adds value by value, so a value listed twice counts twice; one upsert cannot
            // touch a row twice here, so the values are counted first. (The payloads list each once.)
            func add(_ row: String) -> String {
                """
                INSERT INTO pair_topics (a, b, topic, records)
                    SELECT \(row).a, \(row).b, t.value, count(*) FROM json_array_elements_text(\(row).topics::json) AS t(value)
                    GROUP BY t.value
                    ON CONFLICT (a, b, topic) DO UPDATE SET records = pair_topics.records + excluded.records;
                INSERT INTO pair_actors (a, b, actor_id, \(column))
                    SELECT \(row).a, \(row).b, t.value, count(*) FROM json_array_elements_text(\(row).actors::json) AS t(value)
                    GROUP BY t.value
                    ON CONFLICT (a, b, actor_id) DO UPDATE SET \(column) = pair_actors.\(column) + excluded.\(column);
                """
            }
            func subtract(_ row: String) -> String {
                """
                UPDATE pair_topics SET records = records - 1 WHERE a = \(row).a AND b = \(row).b
                    AND topic IN (SELECT value FROM json_array_elements_text(\(row).topics::json));
                UPDATE pair_actors SET \(column) = \(column) - 1 WHERE a = \(row).a AND b = \(row).b
                    AND actor_id IN (SELECT value FROM json_array_elements_text(\(row).actors::json));
                """
            }
            sql += trigger(
                "\(table)_counters_insert", "AFTER INSERT", on: table, when: unlessSuspended(table), add("NEW"))
            sql += trigger(
                "\(table)_counters_delete", "AFTER DELETE", on: table, when: unlessSuspended(table), subtract("OLD"))
            sql += trigger(
                "\(table)_counters_update", "AFTER UPDATE OF actors, topics", on: table, when: unlessSuspended(table),
                subtract("OLD") + "\n" + add("NEW"))
        }
        try db.execute(sql)
    }

    /// `relation_counts` (per pair) and `area_counts` (per area): what `/v1/relations` and
    /// `/v1/areas` list. Each count is of combinations of two rows (a pair row and a history entry;
    /// a record and its topic), adjusted when either side is written.
    static func createCounters(_ db: any Database) throws {
        func historyCount(_ row: String) -> String {
            "(SELECT count(*) FROM initiative_status_history h WHERE h.initiative_id = \(row).initiative_id)"
        }
        var sql = """
            CREATE TABLE relation_counts (
                a TEXT COLLATE "C" NOT NULL,
                b TEXT COLLATE "C" NOT NULL,
                meetings BIGINT NOT NULL DEFAULT 0,
                statements BIGINT NOT NULL DEFAULT 0,
                initiatives BIGINT NOT NULL DEFAULT 0,
                status_changes BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (a, b)
            );
            CREATE INDEX relation_counts_b ON relation_counts (b, a);

            """
        for (table, column, suspendable) in [
            ("meeting_pairs", "meetings", true), ("statement_pairs", "statements", true),
        ] {
            let when = suspendable ? unlessSuspended(table) : ""
            sql += trigger(
                "\(table)_count_insert", "AFTER INSERT", on: table, when: when,
                """
                INSERT INTO relation_counts (a, b, \(column)) VALUES (NEW.a, NEW.b, 1)
                    ON CONFLICT (a, b) DO UPDATE SET \(column) = relation_counts.\(column) + 1;
                """)
            sql += trigger(
                "\(table)_count_delete", "AFTER DELETE", on: table, when: when,
                """
                UPDATE relation_counts SET \(column) = \(column) - 1 WHERE a = OLD.a AND b = OLD.b;
                """)
        }
        sql += trigger(
            "initiative_pairs_count_insert", "AFTER INSERT", on: "initiative_pairs",
            """
            INSERT INTO relation_counts (a, b, initiatives, status_changes) VALUES (NEW.a, NEW.b, 1, \(historyCount("NEW")))
                ON CONFLICT (a, b) DO UPDATE SET initiatives = relation_counts.initiatives + 1,
                    status_changes = relation_counts.status_changes + excluded.status_changes;
            """)
        sql += trigger(
            "initiative_pairs_count_delete", "AFTER DELETE", on: "initiative_pairs",
            """
            UPDATE relation_counts SET initiatives = initiatives - 1, status_changes = status_changes - \(historyCount("OLD"))
                WHERE a = OLD.a AND b = OLD.b;
            """)
        sql += trigger(
            "initiative_status_history_count_insert", "AFTER INSERT", on: "initiative_status_history",
            """
            UPDATE relation_counts SET status_changes = status_changes + 1
                WHERE (a, b) IN (SELECT a, b FROM initiative_pairs WHERE initiative_id = NEW.initiative_id);
            """)
        // A BEFORE trigger where SQLite's is AFTER. Deleting an initiative deletes its countries and
        // its history by cascade, and PostgreSQL runs both cascades before the AFTER triggers they
        // queue: an AFTER trigger here would find the pair rows already gone (taken out with only
        // the history left by then, none), and the initiative's status changes would stay counted.
        // Before each row's deletion, the pairs are still there, as SQLite's per-row order has it.
        sql += trigger(
            "initiative_status_history_count_delete", "BEFORE DELETE", on: "initiative_status_history",
            returns: "OLD",
            """
            UPDATE relation_counts SET status_changes = status_changes - 1
                WHERE (a, b) IN (SELECT a, b FROM initiative_pairs WHERE initiative_id = OLD.initiative_id);
            """)
        sql += """
            CREATE TABLE area_counts (
                area TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                initiatives BIGINT NOT NULL DEFAULT 0,
                meetings BIGINT NOT NULL DEFAULT 0,
                statements BIGINT NOT NULL DEFAULT 0
            );

            """
        sql += trigger(
            "initiatives_area_count_insert", "AFTER INSERT", on: "initiatives",
            "UPDATE area_counts SET initiatives = initiatives + 1 WHERE area = NEW.area;")
        sql += trigger(
            "initiatives_area_count_delete", "AFTER DELETE", on: "initiatives",
            "UPDATE area_counts SET initiatives = initiatives - 1 WHERE area = OLD.area;")
        sql += trigger(
            "initiatives_area_count_update", "AFTER UPDATE OF area", on: "initiatives",
            """
            UPDATE area_counts SET initiatives = initiatives - 1 WHERE area = OLD.area;
            UPDATE area_counts SET initiatives = initiatives + 1 WHERE area = NEW.area;
            """)
        // A record counts once per area, however often its topics name it. These two are BEFORE
        // triggers where SQLite's are AFTER: SQLite's run after each row, so of a meeting's two
        // rows naming one topic, deleted by one statement, the first sees the second and only the
        // second subtracts. A PostgreSQL AFTER row trigger runs at the end of the statement and
        // would see neither; a BEFORE row trigger sees the rows the statement wrote before it, as
        // SQLite's does, and not its own row yet (hence no `position <>` test on insert). Nothing
        // inserts topics with ON CONFLICT, so a row that reaches the trigger is written.
        for (table, id, column) in [
            ("meeting_topics", "meeting_id", "meetings"), ("statement_topics", "statement_id", "statements"),
        ] {
            sql += trigger(
                "\(table)_area_count_insert", "BEFORE INSERT", on: table, returns: "NEW",
                """
                IF NOT EXISTS (SELECT 1 FROM \(table) WHERE \(id) = NEW.\(id) AND topic = NEW.topic) THEN
                    UPDATE area_counts SET \(column) = \(column) + 1 WHERE area = NEW.topic;
                END IF;
                """)
            sql += trigger(
                "\(table)_area_count_delete", "BEFORE DELETE", on: table, returns: "OLD",
                """
                IF NOT EXISTS (SELECT 1 FROM \(table) WHERE \(id) = OLD.\(id) AND topic = OLD.topic
                               AND position <> OLD.position) THEN
                    UPDATE area_counts SET \(column) = \(column) - 1 WHERE area = OLD.topic;
                END IF;
                """)
        }
        try db.execute(sql)
        for area in RecordSchema.areas {
            // The tables are empty: every count starts at 0.
            try db.execute("INSERT INTO area_counts (area) VALUES (?)", [.text(area)])
        }
    }
}
