import Storage

/// The rows of a child table read beside its records, both in id order: a merge join, in which
/// each record's rows come from one cursor that only moves forward, instead of a lookup per record.
///
/// The query orders by the record id first (column 0) with a byte-order collation (SQLite's
/// BINARY, PostgreSQL's "C"), which compares UTF-8 byte by byte: the order `ChildRows` compares in.
struct ChildRows {
    private var cursor: any RowCursor
    /// Whether the cursor stands on a row not yet used.
    private var pending: Bool

    init(sql: String, in db: any Database) throws {
        cursor = try db.cursor(sql, [])
        pending = try cursor.step()
    }

    /// Calls `body` with each row of the record whose id has these UTF-8 bytes. Rows of ids before
    /// it (records outside the walk, such as the other export group) are passed over; records must
    /// come in ascending id order.
    /// - Parameter body: Its row is valid only during the call.
    mutating func forEach(of id: UnsafeBufferPointer<UInt8>, _ body: (any Row) throws -> Void) throws {
        while pending {
            let row = cursor.row
            let order = row.withUnsafeOptionalText(0) { Self.order($0 ?? .init(start: nil, count: 0), id) }
            if order > 0 { return }
            if order == 0 { try body(row) }
            pending = try cursor.step()
        }
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b`, byte by byte.
    private static func order(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count - b.count
    }
}
