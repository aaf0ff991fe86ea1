import Storage

/// Migration 5 on PostgreSQL: full-text search on the texts of meetings, statements and
/// initiatives (SQLite: the FTS5 tables of ``TextSearchSchema``), without an extension.
///
/// Tokens as FTS5's `unicode61 remove_diacritics 2`: words of letters and digits, lower-cased,
/// diacritics removed, no stemming. `bilateral_fold` folds a text (lower case, then NFD and the
/// combining marks removed); `bilateral_words` also turns every run of characters that are neither
/// letters nor digits into one space, so that PostgreSQL's parser sees only plain words, as
/// unicode61 does (left alone, it keeps `example.com`, `1.5` or `foo-bar` as tokens of their own).
/// Both use the ICU root collation for case and character classes, so they do not depend on the
/// database's locale (a `COLLATE "C"` value would fold ASCII letters only).
///
/// Each searchable table carries `search_vector`, a stored generated column of the `simple`
/// configuration (no stop words, no stemming) with its title weighted `A` and its other text `B`,
/// and a GIN index on it. A generated column rather than an expression index: it is written by the
/// same statement as the row (no trigger, nothing queued, no work at commit), a query names it
/// instead of repeating the indexed expression exactly, and ranking reads it instead of parsing the
/// text again. It costs the vector's storage in the table; no statement of ours selects `*`.
///
/// The column stands for SQLite's `<table>_fts`: `m.rowid IN (SELECT rowid FROM meetings_fts
/// WHERE meetings_fts MATCH ?)` becomes `m.search_vector @@ <tsquery>`.
enum PostgresTextSearchSchema {
    static let migration = Migration(version: 5, name: "text_search", apply: create)

    /// The `search_vector` expression of a table's indexed columns: the first weighted `A`, the
    /// second `B` (bm25's weights on SQLite: a title counts twice its summary or description).
    static func vector(_ columns: [String]) -> String {
        zip(columns, ["A", "B"]).map { column, weight in
            "setweight(to_tsvector('simple'::regconfig, bilateral_words(coalesce(\(column), ''))), '\(weight)')"
        }.joined(separator: " || ")
    }

    static func create(_ db: any Database) throws {
        try db.execute(
            """
            CREATE FUNCTION bilateral_fold(t text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                RETURN regexp_replace(
                    normalize(lower(t COLLATE "und-x-icu"), NFD),
                    '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]', '', 'g');
            CREATE FUNCTION bilateral_words(t text) RETURNS text
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                RETURN regexp_replace(bilateral_fold(t) COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g');
            """)
        for (table, columns) in TextSearchSchema.indexes {
            try db.execute(
                """
                ALTER TABLE \(table) ADD COLUMN search_vector tsvector
                    GENERATED ALWAYS AS (\(vector(columns))) STORED;
                CREATE INDEX \(table)_search ON \(table) USING gin (search_vector);
                """)
        }
    }
}
