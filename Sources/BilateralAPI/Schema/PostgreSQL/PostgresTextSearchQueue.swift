import Storage

/// Migration 7 on PostgreSQL: nothing to do.
///
/// On SQLite it replaced the row-by-row FTS5 triggers with `text_search_queue` and a flush before
/// each commit, because FTS5 writes a segment at every statement savepoint that touched an index.
/// PostgreSQL's `search_vector` columns (migration 5) and `actors_search` (migration 6) are written
/// by the statement that writes the row and indexed by GIN in the same transaction: there is no
/// queue, and ``PostgresSchema/plan`` has no `beforeEachCommit`.
enum PostgresTextSearchQueue {
    static let migration = Migration(version: 7, name: "text_search_queue") { _ in }
}
