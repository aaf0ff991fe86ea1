import SQLiteStore

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

    /// Adds their rows to the records of `batch`, whose ids `arguments` hold.
    func load(into batch: inout RecordBatch<View>, _ arguments: [SQLiteValue], in db: Database) throws {
        let marks = Array(repeating: "?", count: arguments.count).joined(separator: ",")
        try db.forEachRow("\(select) WHERE \(key) IN (\(marks)) ORDER BY \(key), \(order)", arguments) { row in
            try batch.update(try row.string(0)) { try add(&$0, row) }
        }
    }

    /// Every row, ordered by record id as the table's primary key or an index already is (no
    /// sort), to be read beside the records.
    func rows(in db: Database) throws -> ChildRows<View> {
        try ChildRows(sql: "\(select) ORDER BY \(key), \(order)", add: add, in: db)
    }
}
