import Storage

/// Migration 7: the full-text indexes are filled once per transaction instead of once per row.
///
/// FTS5 writes what it holds in memory to a new segment at every statement savepoint of a
/// transaction that has written to it, so a trigger writing the index row by row made every later
/// statement of the transaction flush a segment (and merge segments): a third of a meeting write,
/// most of an import. The triggers now only note which rows changed, in `text_search_queue`, and
/// ``flush(_:)`` — which every write transaction runs before it commits
/// (`Migrator.beforeEachCommit`) — brings the indexes up to date in a few set-based statements.
///
/// The queue keeps, for a row the index holds, the values the index holds it with (the first old
/// values the transaction saw), which an external-content index needs to delete it. Nothing can
/// leave the indexes behind for long: a transaction that did not run the flush (another program
/// writing the file) leaves its rows queued, and the next write of any of ours indexes them.
enum TextSearchQueue {
    static let migration = Migration(version: 7, name: "text_search_queue", apply: create)

    /// (index, its table, its queued columns `c1` and `c2` for the indexed ones)
    private static let indexes = TextSearchSchema.indexes.map { ($0.table + "_fts", $0.table, $0.columns) }

    static func create(_ db: any Database) throws {
        try db.execute(
            """
            CREATE TABLE text_search_queue (
                target TEXT NOT NULL,
                row INTEGER NOT NULL,
                indexed INTEGER NOT NULL,
                c1 TEXT,
                c2 TEXT,
                PRIMARY KEY (target, row)
            ) WITHOUT ROWID;
            """)
        for (index, table, columns) in indexes {
            let list = columns.joined(separator: ", ")
            let queued = ["c1", "c2"].prefix(columns.count).joined(separator: ", ")
            let old = columns.map { "old.\($0)" }.joined(separator: ", ")
            let queueOld = """
                INSERT OR IGNORE INTO text_search_queue (target, row, indexed, \(queued))
                VALUES ('\(index)', old.rowid, 1, \(old));
                """
            try db.execute(
                """
                DROP TRIGGER \(table)_fts_insert;
                DROP TRIGGER \(table)_fts_delete;
                DROP TRIGGER \(table)_fts_update;
                CREATE TRIGGER \(table)_fts_insert AFTER INSERT ON \(table) BEGIN
                    INSERT OR IGNORE INTO text_search_queue (target, row, indexed) VALUES ('\(index)', new.rowid, 0);
                END;
                CREATE TRIGGER \(table)_fts_delete AFTER DELETE ON \(table) BEGIN
                    \(queueOld)
                END;
                CREATE TRIGGER \(table)_fts_update AFTER UPDATE OF \(list) ON \(table) BEGIN
                    \(queueOld)
                END;
                """)
        }
        // The actors' index keeps its own copy of the text: a row is deleted by rowid, so the
        // queue needs no old values.
        func queueActor(_ rowid: String) -> String {
            "INSERT OR IGNORE INTO text_search_queue (target, row, indexed) VALUES ('actors_fts', \(rowid), 0);"
        }
        func queueActorOf(_ actorID: String) -> String {
            """
            INSERT OR IGNORE INTO text_search_queue (target, row, indexed)
            SELECT 'actors_fts', rowid, 0 FROM actors WHERE id = \(actorID);
            """
        }
        try db.execute(
            """
            DROP TRIGGER actors_fts_insert;
            DROP TRIGGER actors_fts_delete;
            DROP TRIGGER actors_fts_update;
            DROP TRIGGER actor_aliases_fts_insert;
            DROP TRIGGER actor_aliases_fts_delete;
            DROP TRIGGER actor_aliases_fts_update;
            CREATE TRIGGER actors_fts_insert AFTER INSERT ON actors BEGIN \(queueActor("new.rowid")) END;
            CREATE TRIGGER actors_fts_delete AFTER DELETE ON actors BEGIN \(queueActor("old.rowid")) END;
            CREATE TRIGGER actors_fts_update AFTER UPDATE OF name ON actors BEGIN \(queueActor("new.rowid")) END;
            CREATE TRIGGER actor_aliases_fts_insert AFTER INSERT ON actor_aliases BEGIN \(queueActorOf("new.actor_id")) END;
            CREATE TRIGGER actor_aliases_fts_delete AFTER DELETE ON actor_aliases BEGIN \(queueActorOf("old.actor_id")) END;
            CREATE TRIGGER actor_aliases_fts_update AFTER UPDATE ON actor_aliases BEGIN
                \(queueActorOf("old.actor_id"))
                \(queueActorOf("new.actor_id"))
            END;
            """)
    }

    /// Brings every index up to date with the rows queued, and empties the queue. Cheap when the
    /// queue is empty (one lookup); run inside the write transaction, before its commit.
    ///
    /// Each index then does its share of merging its segments (``TextSearchMerging``). After a bulk
    /// change (an import: at least `bulkRows` rows, and a tenth of the table) the index is instead
    /// optimized, merged into one segment. A bulk flush leaves large segments on the
    /// lowest levels, and FTS5's incremental merging then makes every later small write carry a
    /// share of merging them: a meeting POST after a 100,000-meeting import cost 4.9M instructions
    /// instead of 1.8M. The merge costs about as much as writing the index once (0.3 s for 100,000
    /// meetings), so it is at most ten times the rows the change brought.
    static func flush(_ db: any Database) throws {
        let queued = try db.query("SELECT target, count(*) FROM text_search_queue GROUP BY target", []) {
            (try $0.string(0), try $0.int(1))
        }
        guard !queued.isEmpty else { return }
        for (index, table, statements, indexedLength) in flushStatements {
            guard let rows = queued.first(where: { $0.0 == index })?.1 else { continue }
            for sql in statements {
                try db.execute(sql, [])
            }
            if rows >= bulkRows, try rows * 10 >= db.scalar("SELECT count(*) FROM \(table)")?.int ?? 0 {
                try db.execute("INSERT INTO \(index) (\(index)) VALUES ('optimize')", [])
            } else {
                let characters = try db.scalar(indexedLength, [])?.int ?? 0
                try TextSearchMerging.pace(index, rows: rows, characters: characters, in: db)
            }
        }
        try db.execute("DELETE FROM text_search_queue", [])
    }

    /// The fewest rows queued for an index that make a flush a bulk change (see ``flush(_:)``).
    static let bulkRows = 1000

    /// For each index, the statements that apply its queued rows: delete what the index holds for
    /// them, then index their current values; and the query of how many characters that indexes.
    private static let flushStatements: [(index: String, table: String, statements: [String], indexedLength: String)] =
        indexes.map { index, table, columns in
            let list = columns.joined(separator: ", ")
            let queued = ["c1", "c2"].prefix(columns.count).joined(separator: ", ")
            let current = columns.map { "t.\($0)" }.joined(separator: ", ")
            let lengths = columns.map { "ifnull(length(t.\($0)), 0)" }.joined(separator: " + ")
            return (
                index, table,
                [
                    // An external-content index deletes a row given the values it holds it with.
                    """
                    INSERT INTO \(index) (\(index), rowid, \(list))
                    SELECT 'delete', row, \(queued) FROM text_search_queue WHERE target = '\(index)' AND indexed
                    """,
                    """
                    INSERT INTO \(index) (rowid, \(list))
                    SELECT t.rowid, \(current) FROM text_search_queue q JOIN \(table) t ON t.rowid = q.row
                    WHERE q.target = '\(index)'
                    """,
                ],
                """
                SELECT sum(\(lengths)) FROM text_search_queue q JOIN \(table) t ON t.rowid = q.row
                WHERE q.target = '\(index)'
                """
            )
        } + [
            (
                "actors_fts", "actors",
                [
                    "DELETE FROM actors_fts WHERE rowid IN (SELECT row FROM text_search_queue WHERE target = 'actors_fts')",
                    """
                    INSERT INTO actors_fts (rowid, name, aliases)
                    SELECT a.rowid, a.name, \(ActorSearchSchema.aliases(of: "a.id"))
                    FROM text_search_queue q JOIN actors a ON a.rowid = q.row WHERE q.target = 'actors_fts'
                    """,
                ],
                // Names only: aliases are few and short.
                """
                SELECT sum(length(a.name)) FROM text_search_queue q JOIN actors a ON a.rowid = q.row
                WHERE q.target = 'actors_fts'
                """
            )
        ]
}
