import Storage

/// The child tables of a walk over records in id order (`RecordReader.forEachRow`), standing on
/// one record: each table's rows of that record, the tables numbered as `RecordReader.children`
/// lists them.
struct RecordChildren {
    private var tables: [ChildRows]
    /// The current record's id as its row holds it; valid only during one call of the walk's body.
    var id = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    init(_ tables: [ChildRows]) {
        self.tables = tables
    }

    /// Calls `body` with each row of the table at `index` that belongs to the current record.
    /// - Parameter body: Its row is valid only during the call.
    mutating func forEach(_ index: Int, _ body: (Row) throws -> Void) throws {
        try tables[index].forEach(of: id, body)
    }

    /// Calls `body` with each row of `table` that belongs to the current record.
    mutating func forEach(_ table: some RawRepresentable<Int>, _ body: (Row) throws -> Void) throws {
        try forEach(table.rawValue, body)
    }
}
