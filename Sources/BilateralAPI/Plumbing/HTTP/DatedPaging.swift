/// What every date-ordered list (meetings, statements, initiatives) reads from its query in the
/// same way: the inclusive date range, the `q` text, the order, the page size, and the cursor.
/// The cursor is signed over the list's own filters and these, so it can only continue the
/// query that issued it.
struct DatedPaging {
    var from: String?
    var to: String?
    var query: String?
    var ascending = false
    var after: (date: String, id: String)?
    var limit = 50
    /// What this query's cursors are signed for.
    private(set) var scope = ""

    init() {}

    /// - Parameter filters: the list's name and its own filters, in a canonical form (ORed
    ///   values sorted), so that equal queries share cursors.
    /// - Throws: 400 naming the parameter, as `ListFilters` and `CursorCodec` do.
    init(_ query: QueryParameters, cursors: CursorCodec, filters: [String]) throws {
        (from, to) = try ListFilters.dateRange(query)
        self.query = try ListFilters.text(query)
        ascending = try ListFilters.dateOrderIsAscending(query)
        limit = try query.limit()
        scope = (filters + [from ?? "", to ?? "", self.query ?? "", String(ascending)]).joined(separator: "|")
        if let cursor = try query.single("cursor") {
            let key = try cursors.decode(cursor, scope: scope, count: 2)
            after = (date: key[0], id: key[1])
        }
    }

    /// Cuts a page read with `limit + 1` rows to `limit`; the cursor after its last row when more follow.
    func trim(_ rows: inout [(id: String, date: String)], cursors: CursorCodec) -> String? {
        trim(&rows, cursors: cursors) { $0 }
    }

    /// `trim` for rows of any shape; `key` gives a row's sort key.
    func trim<Row>(_ rows: inout [Row], cursors: CursorCodec, key: (Row) -> (id: String, date: String)) -> String? {
        ListFilters.trim(&rows, limit: limit) { row in
            let (id, date) = key(row)
            return cursors.encode([date, id], scope: scope)
        }
    }
}
