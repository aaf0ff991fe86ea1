import SQLiteStore

/// How an export reads one collection: every record in id order, each with the rows of its child
/// tables read beside it (`ChildRows`): one pass over each table and no lookup per record.
struct RecordWalk<View>: Sendable {
    /// The `FROM` clause ("statements s JOIN actors a ON a.id = s.speaker_id").
    let from: String
    /// The columns `view` reads.
    let columns: String
    /// The record id column, as `from` names it.
    let idColumn: String
    let children: [ChildTable<View>]
    /// A record's view from its row, before its lists.
    let view: @Sendable (Row) throws -> View
    let id: @Sendable (View) -> String

    /// Calls `body` with each record matching `condition`, by id, its lists filled in.
    func forEach(where condition: String, in db: Database, _ body: (inout View) throws -> Void) throws {
        var cursors = try children.map { try $0.rows(in: db) }
        try db.forEachRow("SELECT \(columns) FROM \(from) WHERE (\(condition)) ORDER BY \(idColumn)", []) { row in
            var record = try view(row)
            let key = id(record)
            for index in cursors.indices { try cursors[index].add(to: &record, id: key) }
            try body(&record)
        }
    }
}
