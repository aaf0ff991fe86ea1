import Storage

/// The counters of migration 6: what the relation list, a relation's summary and the areas list
/// read instead of counting records.
extension RelationSchema {
    /// `pair_topics` and `pair_actors`: per pair, how many of its meetings and statements carry
    /// each topic and each actor — what the summary ranks, read as a few dozen rows. They follow
    /// the JSON lists on the pair rows: a row inserted adds its lists, a row deleted subtracts
    /// them, a list rewritten subtracts the old and adds the new.
    static func createPairCounters(_ db: any Database) throws {
        var sql = """
            CREATE TABLE pair_topics (
                a TEXT NOT NULL,
                b TEXT NOT NULL,
                topic TEXT NOT NULL,
                records INTEGER NOT NULL,
                PRIMARY KEY (a, b, topic)
            ) WITHOUT ROWID;
            CREATE TABLE pair_actors (
                a TEXT NOT NULL,
                b TEXT NOT NULL,
                actor_id TEXT NOT NULL,
                meetings INTEGER NOT NULL DEFAULT 0,
                statements INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (a, b, actor_id)
            ) WITHOUT ROWID;

            """
        for (table, column) in [("meeting_pairs", "meetings"), ("statement_pairs", "statements")] {
            func add(_ row: String) -> String {
                """
                INSERT INTO pair_topics (a, b, topic, records) SELECT \(row).a, \(row).b, value, 1
                    FROM json_each(\(row).topics) WHERE true
                    ON CONFLICT (a, b, topic) DO UPDATE SET records = records + 1;
                INSERT INTO pair_actors (a, b, actor_id, \(column)) SELECT \(row).a, \(row).b, value, 1
                    FROM json_each(\(row).actors) WHERE true
                    ON CONFLICT (a, b, actor_id) DO UPDATE SET \(column) = \(column) + 1;
                """
            }
            func subtract(_ row: String) -> String {
                """
                UPDATE pair_topics SET records = records - 1 WHERE a = \(row).a AND b = \(row).b
                    AND topic IN (SELECT value FROM json_each(\(row).topics));
                UPDATE pair_actors SET \(column) = \(column) - 1 WHERE a = \(row).a AND b = \(row).b
                    AND actor_id IN (SELECT value FROM json_each(\(row).actors));
                """
            }
            sql += """
                CREATE TRIGGER \(table)_counters_insert AFTER INSERT ON \(table) BEGIN
                \(add("new"))
                END;
                CREATE TRIGGER \(table)_counters_delete AFTER DELETE ON \(table) BEGIN
                \(subtract("old"))
                END;
                CREATE TRIGGER \(table)_counters_update AFTER UPDATE OF actors, topics ON \(table) BEGIN
                \(subtract("old"))
                \(add("new"))
                END;
                INSERT INTO pair_topics (a, b, topic, records)
                SELECT p.a, p.b, t.value, count(*) FROM \(table) p, json_each(p.topics) t WHERE true
                GROUP BY p.a, p.b, t.value
                ON CONFLICT (a, b, topic) DO UPDATE SET records = records + excluded.records;
                INSERT INTO pair_actors (a, b, actor_id, \(column))
                SELECT p.a, p.b, t.value, count(*) FROM \(table) p, json_each(p.actors) t WHERE true
                GROUP BY p.a, p.b, t.value
                ON CONFLICT (a, b, actor_id) DO UPDATE SET \(column) = \(column) + excluded.\(column);

                """
        }
        try db.execute(sql)
    }

    /// `relation_counts` (per pair) and `area_counts` (per area): what `/v1/relations` and
    /// `/v1/areas` list, kept by triggers so a list reads a few dozen rows instead of grouping
    /// hundreds of thousands. Each count is of combinations of two rows (a pair row and a
    /// history entry; a record and its topic), adjusted when either side is written, so the
    /// order in which a write path touches the tables does not matter.
    static func createCounters(_ db: any Database) throws {
        let historyCount = "(SELECT count(*) FROM initiative_status_history h WHERE h.initiative_id = %.initiative_id)"
        func of(_ template: String, _ row: String) -> String {
            template.split(separator: "%", omittingEmptySubsequences: false).joined(separator: row)
        }
        var sql = """
            CREATE TABLE relation_counts (
                a TEXT NOT NULL,
                b TEXT NOT NULL,
                meetings INTEGER NOT NULL DEFAULT 0,
                statements INTEGER NOT NULL DEFAULT 0,
                initiatives INTEGER NOT NULL DEFAULT 0,
                status_changes INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (a, b)
            ) WITHOUT ROWID;
            CREATE INDEX relation_counts_b ON relation_counts(b, a);

            """
        for (table, column, amount) in [
            ("meeting_pairs", "meetings", ""), ("statement_pairs", "statements", ""),
            ("initiative_pairs", "initiatives", ", status_changes = status_changes + \(of(historyCount, "new"))"),
        ] {
            let removed = amount.isEmpty ? "" : ", status_changes = status_changes - \(of(historyCount, "old"))"
            sql += """
                CREATE TRIGGER \(table)_count_insert AFTER INSERT ON \(table) BEGIN
                    INSERT OR IGNORE INTO relation_counts (a, b) VALUES (new.a, new.b);
                    UPDATE relation_counts SET \(column) = \(column) + 1\(amount) WHERE a = new.a AND b = new.b;
                END;
                CREATE TRIGGER \(table)_count_delete AFTER DELETE ON \(table) BEGIN
                    UPDATE relation_counts SET \(column) = \(column) - 1\(removed) WHERE a = old.a AND b = old.b;
                END;

                """
        }
        sql += """
            CREATE TRIGGER initiative_status_history_count_insert AFTER INSERT ON initiative_status_history BEGIN
                UPDATE relation_counts SET status_changes = status_changes + 1
                WHERE (a, b) IN (SELECT a, b FROM initiative_pairs WHERE initiative_id = new.initiative_id);
            END;
            CREATE TRIGGER initiative_status_history_count_delete AFTER DELETE ON initiative_status_history BEGIN
                UPDATE relation_counts SET status_changes = status_changes - 1
                WHERE (a, b) IN (SELECT a, b FROM initiative_pairs WHERE initiative_id = old.initiative_id);
            END;
            INSERT INTO relation_counts (a, b, meetings, statements, initiatives, status_changes)
            SELECT a, b, sum(m), sum(s), sum(i), sum(h) FROM (
                SELECT a, b, count(*) AS m, 0 AS s, 0 AS i, 0 AS h FROM meeting_pairs GROUP BY a, b
                UNION ALL SELECT a, b, 0, count(*), 0, 0 FROM statement_pairs GROUP BY a, b
                UNION ALL SELECT p.a, p.b, 0, 0, count(DISTINCT p.initiative_id), count(h.initiative_id)
                FROM initiative_pairs p LEFT JOIN initiative_status_history h ON h.initiative_id = p.initiative_id
                GROUP BY p.a, p.b
            ) GROUP BY a, b;

            CREATE TABLE area_counts (
                area TEXT PRIMARY KEY NOT NULL,
                initiatives INTEGER NOT NULL DEFAULT 0,
                meetings INTEGER NOT NULL DEFAULT 0,
                statements INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE TRIGGER initiatives_area_count_insert AFTER INSERT ON initiatives BEGIN
                UPDATE area_counts SET initiatives = initiatives + 1 WHERE area = new.area;
            END;
            CREATE TRIGGER initiatives_area_count_delete AFTER DELETE ON initiatives BEGIN
                UPDATE area_counts SET initiatives = initiatives - 1 WHERE area = old.area;
            END;
            CREATE TRIGGER initiatives_area_count_update AFTER UPDATE OF area ON initiatives BEGIN
                UPDATE area_counts SET initiatives = initiatives - 1 WHERE area = old.area;
                UPDATE area_counts SET initiatives = initiatives + 1 WHERE area = new.area;
            END;

            """
        // A record counts once per area, however often its topics name it.
        for (table, id, column) in [
            ("meeting_topics", "meeting_id", "meetings"), ("statement_topics", "statement_id", "statements"),
        ] {
            sql += """
                CREATE TRIGGER \(table)_area_count_insert AFTER INSERT ON \(table)
                WHEN NOT EXISTS (SELECT 1 FROM \(table) WHERE \(id) = new.\(id) AND topic = new.topic AND position <> new.position)
                BEGIN
                    UPDATE area_counts SET \(column) = \(column) + 1 WHERE area = new.topic;
                END;
                CREATE TRIGGER \(table)_area_count_delete AFTER DELETE ON \(table)
                WHEN NOT EXISTS (SELECT 1 FROM \(table) WHERE \(id) = old.\(id) AND topic = old.topic)
                BEGIN
                    UPDATE area_counts SET \(column) = \(column) - 1 WHERE area = old.topic;
                END;

                """
        }
        try db.execute(sql)
        for area in RecordSchema.areas {
            try db.execute(
                """
                INSERT INTO area_counts (area, initiatives, meetings, statements) VALUES (
                    ?1, (SELECT count(*) FROM initiatives WHERE area = ?1),
                    (SELECT count(DISTINCT meeting_id) FROM meeting_topics WHERE topic = ?1),
                    (SELECT count(DISTINCT statement_id) FROM statement_topics WHERE topic = ?1))
                """, [.text(area)])
        }
    }
}
