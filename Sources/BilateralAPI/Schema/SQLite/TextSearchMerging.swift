import Storage

/// Migration 11: the full-text indexes merge their segments a little at every write, instead of
/// in bursts.
///
/// FTS5 writes a new segment at the end of every statement that adds to an index (a flush writes
/// one, or two when it also deletes old text), and merges segments to keep their number down.
/// Left to itself (`automerge`), it does that work in bursts: each time 64 leaf pages have been
/// written since the last burst, the statement that crosses the mark merges up to 64 pages per
/// level of the index in all, wherever a level holds enough segments. Under a steady stream of
/// meeting POSTs on a 100,000-meeting database, about one commit in two hundred spent 10 to 65 ms
/// on it (against 0.15 ms for the usual flush), and every write queued behind that commit waited
/// as long: those bursts were the POST p99.
///
/// The indexes now do no merging of their own (`automerge` 0), and every flush asks for merge work
/// in proportion to what it indexed (``pace(_:rows:characters:in:)``), so that merging goes on a
/// little at each write. A bulk change still ends with an `optimize` instead.
///
/// FTS5's `crisismerge` (16) is left as it is: when merging falls behind, it merges the segments
/// of level 0 at once, in one statement. Merging falls behind, for a while, after a bulk change:
/// `optimize` leaves one large segment on a low level, and once new segments join it, merging them
/// rewrites it whole, a few pages per flush, while newer segments gather on that level. A
/// simulation on SQLite 3.40.1 (12,000 rows, then 3,000 one-row updates; a helper session's, in
/// Python over the same library), at a page per 150 characters, found at most 37 segments on one
/// level with 30-word rows and 99 with 200-word rows, against 15 with FTS5's own merging, and a
/// worst commit of 1.5 and 4.6 ms against 18.6 and 98 ms. The pace chosen below asks for as much
/// on short rows and half as much on long ones, so expect more segments there (it was not
/// simulated). Searches probe every segment, so they are slower until that merge ends.
/// Placing the optimized segment on a higher level would avoid it, but that needs FTS5's internal
/// structure record, which SQLite does not document.
enum TextSearchMerging {
    static let migration = Migration(version: 11, name: "text_search_paced_merging", apply: stopAutomerge)

    /// Every full-text index.
    static let indexes = TextSearchSchema.indexes.map { $0.table + "_fts" } + ["actors_fts"]

    /// The least merge work a flush asks for, in pages.
    static let minimumPages = 4
    /// Characters indexed per page of merge work asked for. The benchmark's meetings hold about 300
    /// characters, so a POST asks for a page, as with a page per row; a 200-word statement asks
    /// for four or five. Twice this pace (150) put the benchmark's POST p99 above the peer's in
    /// most runs: while a large merge is in progress, every flush pays for the pages it asks.
    static let charactersPerPage = 300

    static func stopAutomerge(_ db: any Database) throws {
        for index in indexes {
            // FTS5 keeps its configuration in the index's own `_config` table: it lasts.
            try db.execute("INSERT INTO \(index) (\(index), rank) VALUES ('automerge', 0)", [])
        }
    }

    /// Asks `index` for merge work after a flush that indexed `rows` rows holding `characters`
    /// characters of text: the larger of a page per row and a page per ``charactersPerPage``
    /// characters, at least ``minimumPages``. In the simulation above, a page per row let 464
    /// segments gather on one level with 200-word rows; four pages per row, 109; a page per 150
    /// characters, 99, with the lowest worst-case commit of the paces tried.
    ///
    /// FTS5 resumes a merge in progress, or starts one on a level holding at least `usermerge` (4)
    /// segments, and does nothing when neither applies. It stops only at a term boundary, so a
    /// step can write a little more than it was asked for.
    static func pace(_ index: String, rows: Int, characters: Int, in db: any Database) throws {
        let pages = max(minimumPages, rows, (characters + charactersPerPage - 1) / charactersPerPage)
        try db.execute("INSERT INTO \(index) (\(index), rank) VALUES ('merge', ?)", [.integer(Int64(pages))])
    }
}
