import Storage

/// The query of one page of a date-ordered list (meetings, statements, initiatives): the
/// collection's own filters, then the shared tail — the inclusive date range, the cursor's
/// (date, id) key, the order with ties broken by id, and `limit + 1` rows so the caller can
/// tell whether another page follows. Keyset paging: never skips or repeats a record, even
/// among equal dates.
struct DatedPageQuery {
    var from: String
    var dateColumn: String
    var idColumn: String
    private(set) var conditions: [String] = []
    private(set) var arguments: [SQLValue] = []

    init(from: String, dateColumn: String, idColumn: String) {
        self.from = from
        self.dateColumn = dateColumn
        self.idColumn = idColumn
    }

    mutating func require(_ condition: String, _ values: [SQLValue] = []) {
        conditions.append(condition)
        arguments += values
    }

    /// `column IN (?, ...)`, when `values` is not empty (ORed enumerations).
    mutating func require(_ column: String, in values: [String]) {
        guard !values.isEmpty else { return }
        require("\(column) IN (" + values.map { _ in "?" }.joined(separator: ",") + ")", values.map(SQLValue.text))
    }

    /// The record must have every one of `values` among its rows of `table` (AND-ed sets:
    /// countries, actors). One condition whatever their number: an `EXISTS` per value deepened
    /// the WHERE tree by a level each, and SQLite refuses a tree deeper than 1,000
    /// (SQLITE_MAX_EXPR_DEPTH) — 992 `actor=` parameters answered 500. The values are one `IN`
    /// list (a bound parameter each, far below SQLITE_MAX_VARIABLE_NUMBER at the cap of
    /// `QueryParameters.maxValues`), and the subquery counts the distinct ones the record has.
    /// - Parameters:
    ///   - table: the child table with its alias, such as `meeting_countries x` (a constant).
    ///   - key: its column naming the record; `column`: its column holding the value.
    ///   - record: the outer query's id column the key must equal.
    mutating func requireEvery(_ values: [String], in table: String, key: String, column: String, of record: String) {
        var distinct: [String] = []
        for value in values where !distinct.contains(value) { distinct.append(value) }
        guard !distinct.isEmpty else { return }
        require(
            "(SELECT count(DISTINCT \(column)) FROM \(table) WHERE \(key) = \(record) AND \(column) IN ("
                + distinct.map { _ in "?" }.joined(separator: ",") + ")) = ?",
            distinct.map(SQLValue.text) + [.integer(Int64(distinct.count))])
    }

    /// - Parameters:
    ///   - dateRange: whether `from`/`to` bound the sort date (initiatives apply them to their
    ///     history instead).
    ///   - columns: what each row selects; the id and the date when not given.
    func sql(_ paging: DatedPaging, dateRange: Bool = true, columns: String? = nil) -> (
        sql: String, arguments: [SQLValue]
    ) {
        var query = self
        if dateRange, let lower = paging.from { query.require("\(dateColumn) >= ?", [.text(lower)]) }
        if dateRange, let upper = paging.to { query.require("\(dateColumn) <= ?", [.text(upper)]) }
        let ascending = paging.ascending
        if let after = paging.after {
            query.require(
                "(\(dateColumn), \(idColumn)) \(ascending ? ">" : "<") (?, ?)", [.text(after.date), .text(after.id)])
        }
        let order = ascending ? "ASC" : "DESC"
        let whereClause = query.conditions.isEmpty ? "" : "WHERE " + query.conditions.joined(separator: " AND ")
        return (
            "SELECT \(columns ?? "\(idColumn), \(dateColumn)") FROM \(from) \(whereClause) ORDER BY \(dateColumn) \(order), \(idColumn) \(order) LIMIT ?",
            query.arguments + [.integer(Int64(paging.limit + 1))]
        )
    }
}
