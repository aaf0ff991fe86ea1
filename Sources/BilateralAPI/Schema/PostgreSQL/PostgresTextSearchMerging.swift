import Storage

/// Migration 11 on PostgreSQL: nothing to do.
///
/// On SQLite it turned off FTS5's `automerge` so that each flush merges index segments at a
/// steady pace. GIN has no segments to merge; its pending list (`fastupdate`) is flushed by
/// autovacuum or when it reaches `gin_pending_list_limit`, a PostgreSQL setting, not the schema's.
enum PostgresTextSearchMerging {
    static let migration = Migration(version: 11, name: "text_search_paced_merging") { _ in }
}
