import Storage

/// SQL for `/v1/search`: each index ranks its own matches by bm25 (lower is better), the ranked
/// lists are merged by (score, type, rowid), and only the page's hits are then joined to their
/// records and given a snippet.
///
/// Ranking is a bm25 per matching row: for a word in one text in five that is tens of thousands
/// of rows and ~100 ms. So each index ranks at most its `candidates` most recently written
/// matches (the highest rowids, found by walking the doclist backwards, which is cheap); with
/// fewer matches than that the ranking is exact. The older matches are not dropped: they follow
/// every ranked hit, type by type, newest first, so paging still returns every match once.
enum SearchRepository {
    /// A hit's place in the order: what the cursor carries.
    struct Key: Sendable, Equatable {
        /// 0: among the ranked matches; 1: older than an index's ranked window, unranked.
        var tier: Int = 0
        /// bm25 in tier 0; 0 in tier 1.
        var score: Double
        var type: SearchType
        var rowid: Int64

        /// Whether `self` comes before `other`: tier, then score, type and rowid in tier 0, and
        /// type then newest first in tier 1.
        func precedes(_ other: Key) -> Bool {
            if tier != other.tier { return tier < other.tier }
            if tier == 0 { return (score, type.rank, rowid) < (other.score, other.type.rank, other.rowid) }
            return (type.rank, -rowid) < (other.type.rank, -other.rowid)
        }
    }

    struct Hit: Sendable {
        var key: Key
        var id: String
        var label: String
        var date: String?
        var snippet: String
    }

    /// Marks around matched terms inside the engine's snippet; replaced by `<mark>` once the
    /// snippet's own text is HTML-escaped. Control characters real text does not hold; one that
    /// did could add a stray `<mark>`, never other markup.
    static let open = "\u{2}"
    static let close = "\u{3}"

    /// How many matches of one index are ranked, at most.
    static let candidates = 1000

    /// The first `limit` hits after `after`, across `types`.
    static func page(
        _ match: String, types: [SearchType], after: Key?, limit: Int, candidates: Int = candidates,
        in db: any Database
    ) throws -> [Key] {
        var keys: [Key] = []
        let dialect = SQLDialect.of(db)
        for type in types {
            let (index, matches) = (dialect.searchIndex(type), dialect.searchMatch(type, alias: nil))
            // The lowest rowid of the index's ranked window.
            let window = """
                coalesce((SELECT rowid FROM \(index) WHERE \(matches)
                          ORDER BY rowid DESC LIMIT 1 OFFSET ?2), 0)
                """
            if after.map({ $0.tier == 0 }) ?? true {
                var sql = """
                    SELECT rowid, score FROM (
                        SELECT rowid, \(dialect.searchScore(type)) AS score FROM \(index)
                        WHERE \(matches) AND rowid >= \(window)
                    ) AS ranked WHERE true
                    """
                var arguments: [SQLValue] = [.text(match), .integer(Int64(candidates - 1))]
                if let after {
                    // After the key in (score, type, rowid) order: a worse score, or an equal one
                    // and a later type, or the same type and a later rowid.
                    if type.rank > after.type.rank {
                        sql += " AND score >= ?"
                        arguments.append(.real(after.score))
                    } else if type.rank < after.type.rank {
                        sql += " AND score > ?"
                        arguments.append(.real(after.score))
                    } else {
                        sql += " AND (score > ? OR (score = ? AND rowid > ?))"
                        arguments += [.real(after.score), .real(after.score), .integer(after.rowid)]
                    }
                }
                sql += " ORDER BY score, rowid LIMIT ?"
                arguments.append(.integer(Int64(limit)))
                try db.forEachRow(sql, arguments) { row in
                    keys.append(Key(tier: 0, score: try row.double(1), type: type, rowid: try row.int64(0)))
                }
            }
            // The unranked older matches, after every ranked one.
            var sql = """
                SELECT rowid FROM \(index) WHERE \(matches) AND rowid < \(window)
                """
            var arguments: [SQLValue] = [.text(match), .integer(Int64(candidates - 1))]
            if let after, after.tier == 1 {
                if type.rank < after.type.rank { continue }
                if type.rank == after.type.rank {
                    sql += " AND rowid < ?"
                    arguments.append(.integer(after.rowid))
                }
            }
            sql += " ORDER BY rowid DESC LIMIT ?"
            arguments.append(.integer(Int64(limit)))
            try db.forEachRow(sql, arguments) { row in
                keys.append(Key(tier: 1, score: 0, type: type, rowid: try row.int64(0)))
            }
        }
        keys.sort { $0.precedes($1) }
        return Array(keys.prefix(limit))
    }

    /// The records and snippets of `keys`, in the same order.
    static func hits(_ keys: [Key], match: String, in db: any Database) throws -> [Hit] {
        var found: [String: Hit] = [:]
        let dialect = SQLDialect.of(db)
        for type in SearchType.allCases {
            let rowids = keys.filter { $0.type == type }
            guard !rowids.isEmpty else { continue }
            let marks = rowids.map { _ in "?" }.joined(separator: ",")
            let (columns, join) = type.details
            try db.forEachRow(
                """
                SELECT f.rowid, \(columns), \(dialect.searchSnippet(type))
                FROM \(dialect.searchIndex(type)) f JOIN \(join)
                WHERE \(dialect.searchMatch(type, alias: "f")) AND f.rowid IN (\(marks))
                """, [.text(match), .text(open), .text(close)] + rowids.map { .integer($0.rowid) }
            ) { row in
                let rowid = try row.int64(0)
                guard let key = rowids.first(where: { $0.rowid == rowid }) else { return }
                found["\(type.rank):\(rowid)"] = Hit(
                    key: key, id: try row.string(1), label: try row.string(2), date: row.optionalString(3),
                    snippet: markedHTML(try row.string(4)))
            }
        }
        return keys.compactMap { found["\($0.type.rank):\($0.rowid)"] }
    }

    /// The snippet as HTML-safe text: escaped as the docs page escapes text, matched terms in `<mark>`.
    static func markedHTML(_ snippet: String) -> String {
        HTML.escape(snippet)
            .split(separator: open, omittingEmptySubsequences: false).joined(separator: "<mark>")
            .split(separator: close, omittingEmptySubsequences: false).joined(separator: "</mark>")
    }
}
