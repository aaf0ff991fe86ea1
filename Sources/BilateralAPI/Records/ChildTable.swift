import Storage

/// A table holding one of a record's lists (`meeting_topics`, `actor_roles`, ...): how its rows
/// are selected, in which order within a record, and what a row adds to the record's view.
///
/// Read two ways, one query each: for a page of ids (`load`), or for every record, in id order,
/// beside the records themselves (`rows`, for exports).
struct ChildTable<View>: Sendable {
    /// `SELECT key, ... FROM table`: the record's id comes first.
    let select: String
    /// The column holding the record's id, as `select` names it.
    let key: String
    /// The order of one record's rows ("position").
    let order: String
    /// Adds one row to its record's view.
    let add: @Sendable (inout View, Row) throws -> Void
    /// The columns of `select`, the record's id first, and what follows its `FROM`.
    let columns: [String]
    let tables: String
    /// Whether `order` is a `position` column, an integer; every other order is a text column.
    var ordersByPosition: Bool { order == "position" || order.hasSuffix(".position") }
    /// `select` driven by the JSON array of a batch's ids (`json_each(?)` on SQLite), with the
    /// record's index in the array and the row's `order` as its last two columns: as the engine
    /// tries it first, and with an `ORDER BY`.
    private let loadSQL: PerDialect<(first: String, ordered: String)>
    /// `select` for one record's rows, in order.
    private let oneSQL: String

    /// The columns of a list of plain ones (`p.meeting_id, a.name`), each with its whitespace
    /// made single spaces, for SQL that selects them again (`ChildTablesUnion`).
    static func plainColumns(_ list: some StringProtocol, of sql: String) -> [String] {
        precondition(!list.contains("("), "a reader selects plain columns: \(sql)")
        return list.split(separator: ",").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    init(
        select: String, key: String, order: String, add: @escaping @Sendable (inout View, Row) throws -> Void
    ) {
        self.select = select
        self.key = key
        self.order = order
        self.add = add
        let flat = String(select.map { $0.isWhitespace ? " " : $0 })
        guard let from = flat.range(of: " FROM "), flat.hasPrefix("SELECT ") else {
            preconditionFailure("a child table's select is SELECT ... FROM ...: \(select)")
        }
        let columns = flat[flat.index(flat.startIndex, offsetBy: 7)..<from.lowerBound]
        let tables = flat[from.upperBound...]
        self.columns = Self.plainColumns(columns, of: select)
        self.tables = String(tables)
        oneSQL = "\(select) WHERE \(key) = ? ORDER BY \(order)"
        loadSQL = PerDialect { dialect in
            let sql =
                "SELECT \(columns), j.key, \(order) FROM \(dialect.jsonTextArray(as: "j")), \(tables) WHERE \(key) = j.value"
            let ordered = sql + " ORDER BY j.key, \(order)"
            return (dialect.keepsDrivingOrder ? sql : ordered, ordered)
        }
    }

    /// Adds their rows to the records of `batch`.
    ///
    /// The batch's ids go in as one JSON array that `json_each` walks in the batch's order, and
    /// each record's rows are read by the table's key: no temporary index of the ids (which
    /// `IN (?, ?, ...)` builds), no lookup of the record by id (`j.key` is its index), and no sort,
    /// since the key's index gives one record's rows in `order` already. That last is the query
    /// plan's doing, so it is checked row by row; should a plan ever read them otherwise, they are
    /// read again with an `ORDER BY`. PostgreSQL's planner may hash or merge such a join, so there
    /// the `ORDER BY` comes first (`SQLDialect.keepsDrivingOrder`).
    func load(into batch: inout RecordBatch<View>, in db: any Database) throws {
        if batch.ids.count == 1 {
            // One record (a GET by id): a lookup by key, in order, costs less than json_each.
            try db.forEachRow(oneSQL, [.text(batch.ids[0])]) { row in try batch.update(at: 0) { try add(&$0, row) } }
            return
        }
        let unchanged = batch
        var last = [SQLValue?](repeating: nil, count: batch.elements.count)
        var inOrder = true
        let loadSQL = loadSQL[db]
        try db.forEachRow(loadSQL.first, [batch.idArray]) { row in
            let index = try row.int(row.count - 2)
            let order = row.value(row.count - 1)
            if inOrder, let previous = last[index], !Self.order(previous, precedes: order) { inOrder = false }
            last[index] = order
            try batch.update(at: index) { try add(&$0, row) }
        }
        guard !inOrder else { return }
        batch = unchanged
        try db.forEachRow(loadSQL.ordered, [batch.idArray]) { row in
            try batch.update(at: try row.int(row.count - 2)) { try add(&$0, row) }
        }
    }

    /// Whether `a` sorts before `b` as SQLite orders them (integers, or text byte by byte).
    private static func order(_ a: SQLValue, precedes b: SQLValue) -> Bool {
        switch (a, b) {
        case (.integer(let a), .integer(let b)): a < b
        case (.text(let a), .text(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        default: false
        }
    }

    /// Every row, ordered by record id as the table's primary key or an index already is (no
    /// sort), to be read beside the records.
    func rows(in db: any Database) throws -> ChildRows {
        try ChildRows(sql: "\(select) ORDER BY \(key), \(order)", in: db)
    }
}
