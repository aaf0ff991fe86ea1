import Storage

/// Migration 14: the change feed (`ChangeLog`, `ChangeFeed`). `change_clock` is one row: the
/// last sequence number given and the last one pruned. Every write transaction that changes a
/// record advances it and appends to `changes`, so sequence numbers follow commit order (SQLite
/// has one writer; PostgreSQL's writers queue on the clock's row lock until they commit).
///
/// `record` is the representation right after the change; NULL for a delete, and for a change an
/// import wrote without rendering it: its record has not changed since (the next change of that
/// record renders it first, `ChangeLog.fillPending`), so the feed renders the current one.
/// Records that exist when the feed is created get a `create` change each, in export order, so
/// that the feed from 0 holds every record.
enum ChangeSchema {
    static let migration = Migration(version: 14, name: "changes") { db in
        try db.execute(
            """
            CREATE TABLE change_clock (
                one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),
                last_seq INTEGER NOT NULL,
                pruned_through INTEGER NOT NULL
            );
            CREATE TABLE changes (
                seq INTEGER PRIMARY KEY,
                type TEXT NOT NULL,
                id TEXT NOT NULL,
                op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
                version INTEGER NOT NULL,
                at TEXT NOT NULL,
                record TEXT
            );
            CREATE INDEX changes_by_type ON changes (type, seq);
            CREATE INDEX changes_unrendered ON changes (type, id) WHERE record IS NULL AND op <> 'delete';
            """)
        for (type, table, order) in seeds {
            try db.execute(
                """
                INSERT INTO changes (type, id, op, version, at)
                SELECT '\(type)', id, 'create', version, updated_at FROM \(table) ORDER BY \(order)
                """)
        }
        try db.execute("INSERT INTO change_clock VALUES (1, (SELECT coalesce(max(seq), 0) FROM changes), 0)")
    }

    /// The records a new feed starts with, in export order: references before their referrers.
    static let seeds: [(type: String, table: String, order: String)] = [
        ("source", "sources", "id"),
        ("actor", "actors", "kind <> 'organization', id"),
        ("meeting", "meetings", "id"),
        ("statement", "statements", "id"),
        ("initiative", "initiatives", "id"),
    ]
}
