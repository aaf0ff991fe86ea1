/// How a full-text match is written on each engine: SQLite's FTS5 indexes (`<table>_fts`, see
/// `TextSearchSchema`) or PostgreSQL's `search_vector` columns (`PostgresTextSearchSchema`). Both
/// take the same query text, an FTS5 expression built by `FullTextQuery` or `SearchQuery`, which
/// PostgreSQL's `bilateral_tsquery` reads.
extension SQLDialect {
    /// The condition that the row `alias` of `table` (meetings, statements, initiatives) matches
    /// the query bound to the one `?` it holds.
    func fullTextMatch(_ table: String, alias: String) -> String {
        switch backend {
        case .sqlite: "\(alias).rowid IN (SELECT rowid FROM \(table)_fts WHERE \(table)_fts MATCH ?)"
        case .postgresql: "\(alias).search_vector @@ bilateral_tsquery(?)"
        }
    }

    /// The condition that an actor (the row of `actors` in scope, unaliased) matches the query
    /// bound to the one `?` it holds: its name or an alias.
    var actorMatch: String {
        switch backend {
        case .sqlite: "rowid IN (SELECT rowid FROM actors_fts WHERE actors_fts MATCH ?)"
        case .postgresql: "rowid IN (SELECT rowid FROM actors_search WHERE search_vector @@ bilateral_tsquery(?))"
        }
    }
}

/// `/v1/search` on each engine: the index of a type, its match, rank and snippet. In the SQL these
/// make, `?1` is the query, `?2` and `?3` the snippet's opening and closing marks.
extension SQLDialect {
    /// The table searched for `type`, with a `rowid` column: an FTS5 index on SQLite; on
    /// PostgreSQL the record table itself (its `search_vector`), or `actors_search`.
    func searchIndex(_ type: SearchType) -> String {
        switch (backend, type) {
        case (.sqlite, .meeting): "meetings_fts"
        case (.sqlite, .statement): "statements_fts"
        case (.sqlite, .initiative): "initiatives_fts"
        case (.sqlite, .actor): "actors_fts"
        case (.postgresql, .meeting): "meetings"
        case (.postgresql, .statement): "statements"
        case (.postgresql, .initiative): "initiatives"
        case (.postgresql, .actor): "actors_search"
        }
    }

    /// The condition that a row of ``searchIndex(_:)`` (called `alias`, if any) matches `?1`.
    func searchMatch(_ type: SearchType, alias: String?) -> String {
        switch backend {
        case .sqlite: "\(searchIndex(type)) MATCH ?1"
        case .postgresql: "\(alias.map { "\($0)." } ?? "")search_vector @@ bilateral_tsquery(?1)"
        }
    }

    /// A matching row's score, lower is better: bm25 with a title or a name counting twice its
    /// summary, description or aliases; on PostgreSQL `ts_rank` of the same weights (the title is
    /// weight A, 1.0; the rest B, 0.5), negated, normalized by document length.
    func searchScore(_ type: SearchType) -> String {
        switch (backend, type) {
        case (.sqlite, .statement): "bm25(\(searchIndex(type)), 1.0)"
        case (.sqlite, _): "bm25(\(searchIndex(type)), 2.0, 1.0)"
        case (.postgresql, _): "-ts_rank('{0.1, 0.2, 0.5, 1.0}', search_vector, bilateral_tsquery(?1), 1)::float8"
        }
    }

    /// The snippet of a matching row `f`: the best 16-token window of its texts, matched terms
    /// between `?2` and `?3`, `…` where text was cut (FTS5's `snippet`, which PostgreSQL's
    /// `bilateral_snippet` ports).
    func searchSnippet(_ type: SearchType) -> String {
        switch backend {
        case .sqlite: return "snippet(\(searchIndex(type)), -1, ?2, ?3, '…', 16)"
        case .postgresql:
            let texts =
                switch type {
                case .meeting: "f.title, f.summary"
                case .statement: "f.text"
                case .initiative: "f.title, f.description"
                case .actor: "f.name, f.aliases"
                }
            return "bilateral_snippet(ARRAY[\(texts)], ?1, ?2, ?3, '…', 16)"
        }
    }
}
