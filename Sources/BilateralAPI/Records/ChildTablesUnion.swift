import Storage

/// The child tables of a collection read in one query, for an engine where every statement costs
/// a round trip (`SQLDialect.statementsAreRoundTrips`): the rows of every table for one record
/// or a batch of records, as one `UNION ALL`, where reading them table by table would take a
/// statement per table (a meeting has five).
///
/// Every table's columns come first, padded with `NULL`s to the widest table's, so each table's
/// `add` reads a row by the same column numbers as from its own query. Then come the table's
/// number, the record's index in the batch, and the table's order: in the integer column for a
/// `position`, in the text column otherwise (a union's column has one type).
///
/// A record by id comes with its lists in one statement (``loadRecord(_:view:in:)``): its own row
/// is one more branch, its columns before the tables' (each branch `NULL` in the other's), so
/// that a GET is one query, a single round trip with the pipelined `BEGIN`.
struct ChildTablesUnion<View>: Sendable {
    private let tables: [ChildTable<View>]
    /// The number of the column holding the table's number; the record's index follows it.
    private let tableColumn: Int
    /// The union for one record, by id (`?1` in every branch).
    private let oneSQL: String
    /// The union for a batch, by the JSON array of its ids.
    private let batchSQL: String
    /// The record's own columns before the tables' in ``recordSQL``.
    private let recordWidth: Int
    /// The record's row (table number -1) and its tables' rows, by id (`?1`).
    private let recordSQL: String

    /// - Parameters:
    ///   - record: The record's `FROM`, its columns (plain ones, the id first) and its id column,
    ///     as `RecordReader` has them.
    init(
        _ tables: [ChildTable<View>], record: (from: String, columns: String, idColumn: String), dialect: SQLDialect
    ) {
        self.tables = tables
        let width = tables.map(\.columns.count).max() ?? 0
        tableColumn = width
        func branch(
            _ number: Int, _ table: ChildTable<View>, record: String, from: String, condition: String,
            before: [String] = []
        ) -> String {
            let padding = Array(repeating: "NULL", count: width - table.columns.count)
            let order = table.ordersByPosition ? [table.order, "NULL"] : ["NULL", table.order]
            let columns = before + table.columns + padding + ["\(number)", record] + order
            return "SELECT \(columns.joined(separator: ", ")) FROM \(from) WHERE \(condition)"
        }
        // ORDER BY the output columns' numbers (1-based): table, record, then the table's order.
        let order = " ORDER BY \(width + 1), \(width + 2), \(width + 3), \(width + 4)"
        oneSQL =
            tables.enumerated().map { number, table in
                branch(number, table, record: "0", from: table.tables, condition: "\(table.key) = ?1")
            }.joined(separator: " UNION ALL ") + order
        batchSQL =
            "WITH ids AS (SELECT j.value, j.key FROM \(dialect.jsonTextArray(as: "j"))) "
            + tables.enumerated().map { number, table in
                branch(
                    number, table, record: "ids.key", from: "ids, \(table.tables)",
                    condition: "\(table.key) = ids.value")
            }.joined(separator: " UNION ALL ") + order
        let recordColumns = ChildTable<View>.plainColumns(record.columns, of: record.columns)
        let recordWidth = recordColumns.count
        self.recordWidth = recordWidth
        let none = Array(repeating: "NULL", count: recordWidth)
        let ownColumns = recordColumns + Array(repeating: "NULL", count: width) + ["-1", "0", "NULL", "NULL"]
        let own = "SELECT \(ownColumns.joined(separator: ", ")) FROM \(record.from) WHERE \(record.idColumn) = ?1"
        let shifted = (1...4).map { String(recordWidth + width + $0) }.joined(separator: ", ")
        recordSQL =
            ([own]
            + tables.enumerated().map { number, table in
                branch(number, table, record: "0", from: table.tables, condition: "\(table.key) = ?1", before: none)
            }).joined(separator: " UNION ALL ") + " ORDER BY \(shifted)"
    }

    /// The record with this id and its lists, with one query; nil when there is no such record.
    /// - Parameter view: The record's view from its row, before its lists.
    func loadRecord(_ id: String, view: (Row) throws -> View, in db: any Database) throws -> View? {
        var found: [View] = []
        try db.forEachRow(recordSQL, [.text(id)]) { row in
            let table = try row.int(recordWidth + tableColumn)
            if table < 0 {
                found.append(try view(row))
            } else if !found.isEmpty {
                try tables[table].add(&found[0], OffsetRow(base: row, offset: recordWidth))
            }
        }
        return found.first
    }

    /// Adds their rows of every table to the records of `batch`, with one query.
    func load(into batch: inout RecordBatch<View>, in db: any Database) throws {
        let one = batch.ids.count == 1
        try db.forEachRow(one ? oneSQL : batchSQL, [one ? .text(batch.ids[0]) : batch.idArray]) { row in
            let table = try row.int(tableColumn)
            let index = try row.int(tableColumn + 1)
            try batch.update(at: index) { try tables[table].add(&$0, row) }
        }
    }
}
