import SQLiteStore

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
    private(set) var arguments: [SQLiteValue] = []

    init(from: String, dateColumn: String, idColumn: String) {
        self.from = from
        self.dateColumn = dateColumn
        self.idColumn = idColumn
    }

    mutating func require(_ condition: String, _ values: [SQLiteValue] = []) {
        conditions.append(condition)
        arguments += values
    }

    /// `column IN (?, ...)`, when `values` is not empty (ORed enumerations).
    mutating func require(_ column: String, in values: [String]) {
        guard !values.isEmpty else { return }
        require("\(column) IN (" + values.map { _ in "?" }.joined(separator: ",") + ")", values.map(SQLiteValue.text))
    }

    /// - Parameters:
    ///   - dateRange: whether `from`/`to` bound the sort date (initiatives apply them to their
    ///     history instead).
    ///   - columns: what each row selects; the id and the date when not given.
    func sql(_ paging: DatedPaging, dateRange: Bool = true, columns: String? = nil) -> (
        sql: String, arguments: [SQLiteValue]
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
