import Storage

/// Full-text indexes for the `q` filters (and, later, `/v1/search`): FTS5 tables over the
/// texts of meetings, statements and initiatives, as external-content indexes of those tables
/// kept in step by triggers, so no write path can forget them (since migration 7 the triggers queue
/// the rows and `TextSearchQueue` indexes them before each commit).
///
/// Tokens are Unicode words with diacritics folded (`unicode61 remove_diacritics 2`), so
/// "Seiha" finds "Séiha". The indexes refer to rowids: the record tables must never be VACUUMed
/// without a `rebuild` of these indexes afterwards (VACUUM may renumber implicit rowids).
enum TextSearchSchema {
    static let migration = Migration(version: 5, name: "text_search", apply: create)

    /// (table, its indexed columns)
    static let indexes: [(table: String, columns: [String])] = [
        ("meetings", ["title", "summary"]),
        ("statements", ["text"]),
        ("initiatives", ["title", "description"]),
    ]

    static func create(_ db: any Database) throws {
        for (table, columns) in indexes {
            let list = columns.joined(separator: ", ")
            let new = columns.map { "new.\($0)" }.joined(separator: ", ")
            let old = columns.map { "old.\($0)" }.joined(separator: ", ")
            try db.execute(
                """
                CREATE VIRTUAL TABLE \(table)_fts USING fts5(
                    \(list), content='\(table)', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
                CREATE TRIGGER \(table)_fts_insert AFTER INSERT ON \(table) BEGIN
                    INSERT INTO \(table)_fts(rowid, \(list)) VALUES (new.rowid, \(new));
                END;
                CREATE TRIGGER \(table)_fts_delete AFTER DELETE ON \(table) BEGIN
                    INSERT INTO \(table)_fts(\(table)_fts, rowid, \(list)) VALUES ('delete', old.rowid, \(old));
                END;
                CREATE TRIGGER \(table)_fts_update AFTER UPDATE OF \(list) ON \(table) BEGIN
                    INSERT INTO \(table)_fts(\(table)_fts, rowid, \(list)) VALUES ('delete', old.rowid, \(old));
                    INSERT INTO \(table)_fts(rowid, \(list)) VALUES (new.rowid, \(new));
                END;
                INSERT INTO \(table)_fts(\(table)_fts) VALUES ('rebuild');
                """)
        }
    }
}
