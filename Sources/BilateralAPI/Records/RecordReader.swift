import Storage

/// How one collection's records are read with their lists: a few by id (a page, one record), one
/// query per child table whatever their number (`ChildTable.load`), or one for all of them where
/// each statement is a round trip (`ChildTablesUnion`); or every record in id order,
/// each with the rows of its child tables read beside it (`ChildRows`), for exports: one pass over
/// each table and no lookup per record.
struct RecordReader<View>: Sendable {
    /// The `FROM` clause ("statements s JOIN actors a ON a.id = s.speaker_id").
    let from: String
    /// The columns `view` reads, the record id first.
    let columns: String
    /// The record id column, as `from` names it.
    let idColumn: String
    let children: [ChildTable<View>]
    /// A record's view from its row, before its lists.
    let view: @Sendable (Row) throws -> View
    let id: @Sendable (View) -> String
    /// The children in one query, where the engine is better served so.
    private let together: PerDialect<ChildTablesUnion<View>?>

    init(
        from: String, columns: String, idColumn: String, children: [ChildTable<View>],
        view: @escaping @Sendable (Row) throws -> View, id: @escaping @Sendable (View) -> String
    ) {
        self.from = from
        self.columns = columns
        self.idColumn = idColumn
        self.children = children
        self.view = view
        self.id = id
        together = PerDialect { dialect in
            guard dialect.statementsAreRoundTrips else { return nil }
            return ChildTablesUnion(children, record: (from, columns, idColumn), dialect: dialect)
        }
    }

    /// The records with these ids, in the order given (missing ids are skipped), with their lists.
    func load(_ ids: [String], in db: any Database) throws -> [View] {
        guard !ids.isEmpty else { return [] }
        if ids.count == 1, let together = together[db] {
            return try together.loadRecord(ids[0], view: view, in: db).map { [$0] } ?? []
        }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var found: [String: View] = [:]
        try db.forEachRow(
            "SELECT \(columns) FROM \(from) WHERE \(idColumn) IN (\(marks))", ids.map(SQLValue.text)
        ) { row in
            let record = try view(row)
            found[id(record)] = record
        }
        var views = ids.compactMap { found[$0] }
        try fill(&views, in: db)
        return views
    }

    /// Adds their lists to `views` (records a page query has read already).
    func fill(_ views: inout [View], in db: any Database) throws {
        guard !views.isEmpty else { return }
        var batch = RecordBatch(views, id: id)
        if let together = together[db] {
            try together.load(into: &batch, in: db)
        } else {
            for table in children { try table.load(into: &batch, in: db) }
        }
        views = batch.elements
    }

    /// Calls `body` with each record matching `condition`, by id, its lists filled in.
    func forEach(where condition: String, in db: any Database, _ body: (inout View) throws -> Void) throws {
        try forEachRow(where: condition, in: db) { row, rows in
            var record = try view(row)
            for (index, table) in children.enumerated() { try rows.forEach(index) { try table.add(&record, $0) } }
            try body(&record)
        }
    }

    /// Calls `body` with the row of each record matching `condition`, by id, and the rows of its
    /// child tables beside it: for writing records straight from their rows, with no `View` (and
    /// none of its strings and arrays) in between.
    /// - Parameter body: Its row and child rows are valid only during the call.
    func forEachRow(
        where condition: String, in db: any Database, _ body: (Row, inout RecordChildren) throws -> Void
    ) throws {
        var rows = RecordChildren(try children.map { try $0.rows(in: db) })
        try db.forEachRow("SELECT \(columns) FROM \(from) WHERE (\(condition)) ORDER BY \(idColumn)", []) { row in
            try row.withUnsafeText(0) { id in
                rows.id = id
                try body(row, &rows)
            }
        }
    }
}
