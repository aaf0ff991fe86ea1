import Storage

/// Migration 15 on SQLite: nothing to do.
///
/// On PostgreSQL it gave the functions that fold text for full-text search a short way for ASCII
/// text (``PostgresTextSearchFolding``). FTS5's `unicode61` tokenizer folds in C already.
enum TextSearchFolding {
    static let migration = Migration(version: 15, name: "text_search_ascii_folding") { _ in }
}
