import SQLiteStore

/// Migration 11: the full-text indexes merge their segments a little at every write, instead of
/// in bursts.
///
/// FTS5 adds a segment to an index at every commit that writes to it, and merges segments to keep
/// their number down. Left to itself (`automerge`), it does that work in bursts: each time 64 leaf
/// pages have been written since the last burst, the commit that crosses the mark merges up to
/// 64 pages per level of the index. Under a steady stream of meeting POSTs on a 100,000-meeting
/// database, about one commit in two hundred spent 10 to 65 ms on it (against 0.15 ms for the
/// usual flush), and every write queued behind that commit waited as long: those bursts were the
/// POST p99.
///
/// The indexes now do no merging of their own (`automerge` 0), and every flush asks for merge work
/// in proportion to the rows it indexed (``pace(_:rows:in:)``): the same merges, paced by the
/// writes instead of bunched. A bulk change still ends with an `optimize` instead. FTS5's
/// `crisismerge` stays as it was, a bound on the segments of a level if merging ever falls behind
/// (another program writing the database without pacing, say).
enum TextSearchMerging {
    static let migration = Migration(version: 11, name: "text_search_paced_merging", apply: stopAutomerge)

    /// Every full-text index.
    static let indexes = TextSearchSchema.indexes.map { $0.table + "_fts" } + ["actors_fts"]

    /// Pages of merge work asked for per row indexed. FTS5's own pace is about one page per level
    /// of the index for each leaf page written, and a leaf holds several rows' terms; one page per
    /// row keeps up with it, with room to spare, as the index grows.
    static let pagesPerRow = 1
    /// The least merge work a flush asks for.
    static let minimumPages = 2

    static func stopAutomerge(_ db: Database) throws {
        for index in indexes {
            // FTS5 keeps its configuration in the index's own `_config` table: it lasts.
            try db.execute("INSERT INTO \(index) (\(index), rank) VALUES ('automerge', 0)", [])
        }
    }

    /// Merges up to about `rows` pages of `index`'s segments, where a level holds enough of them
    /// (FTS5's `usermerge`, 4): the share of merging that `rows` newly indexed rows bring. A no-op
    /// when no level needs it.
    static func pace(_ index: String, rows: Int, in db: Database) throws {
        let pages = max(minimumPages, rows * pagesPerRow)
        try db.execute("INSERT INTO \(index) (\(index), rank) VALUES ('merge', ?)", [.integer(Int64(pages))])
    }
}
