import Storage

/// Migration 14: the change feed, as on SQLite (`ChangeSchema`). Here several nodes write at
/// once: each write transaction advances `change_clock` with `UPDATE … RETURNING`, which holds
/// the row's lock until it commits, so a transaction's sequence numbers are taken only after the
/// one before it committed and a reader never sees a later number before an earlier one. The
/// clock's trigger notifies `bilateral_changes` (delivered at commit, to every node's listener).
enum PostgresChangeSchema {
    static let migration = Migration(version: 14, name: "changes") { db in
        try db.execute(
            """
            CREATE TABLE change_clock (
                one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),
                last_seq BIGINT NOT NULL,
                pruned_through BIGINT NOT NULL
            );
            CREATE TABLE changes (
                seq BIGINT PRIMARY KEY NOT NULL,
                type TEXT COLLATE "C" NOT NULL,
                id TEXT COLLATE "C" NOT NULL,
                op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
                version BIGINT NOT NULL,
                at TEXT NOT NULL,
                record TEXT
            );
            CREATE INDEX changes_by_type ON changes (type, seq);
            CREATE INDEX changes_unrendered ON changes (type, id) WHERE record IS NULL AND op <> 'delete';
            CREATE FUNCTION change_clock_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('bilateral_changes', NEW.last_seq::text);
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER change_clock_notify AFTER UPDATE OF last_seq ON change_clock
                FOR EACH ROW EXECUTE FUNCTION change_clock_notify();
            """)
        let seeds = ChangeSchema.seeds.enumerated().map { rank, seed in
            // Within a kind, the order SQLite's `ORDER BY` gives: organizations first, by id.
            let group = seed.table == "actors" ? "kind <> 'organization'" : "false"
            return
                "SELECT \(rank) AS rank, \(group) AS grp, '\(seed.type)' AS type, id, version, updated_at FROM \(seed.table)"
        }
        try db.execute(
            """
            INSERT INTO changes (seq, type, id, op, version, at)
            SELECT row_number() OVER (ORDER BY rank, grp, id), type, id, 'create', version, updated_at
            FROM (\(seeds.joined(separator: " UNION ALL "))) AS r
            """)
        try db.execute("INSERT INTO change_clock VALUES (1, (SELECT coalesce(max(seq), 0) FROM changes), 0)")
    }
}
