import HTTPCore
import Storage

/// Rows bound for tables, grouped by table in the order the tables were first named: what
/// creating records writes, described once for both ways of writing it — a single record's rows
/// (``insert(in:)``: an `INSERT` per row, or one per table where the engine has one for many
/// rows) or one bulk load per table (an import's records, set by set: `StagedImport`).
struct TableRows {
    struct Table {
        let name: String
        let columns: [String]
        /// `INSERT INTO name (columns) VALUES (?, ...)`.
        let insert: String
        var rows: [[SQLValue]] = []

        /// The rows as a JSON array of objects keyed by column name; nil if one holds a blob or a
        /// real, which JSON cannot carry exactly (-0.0, infinities and NaN).
        var rowsAsJSON: String? {
            var json = JSONWriter(reservingCapacity: rows.count * columns.count * 24)
            json.beginArray()
            for row in rows {
                json.beginObject()
                for (column, value) in zip(columns, row) {
                    json.key(escaping: column)
                    switch value {
                    case .null: json.null()
                    case .integer(let number): json.int(Int(number))
                    case .text(let text): json.string(text)
                    case .real, .blob: return nil
                    }
                }
                json.endObject()
            }
            json.endArray()
            return String(decoding: json.bytes, as: UTF8.self)
        }
    }

    private(set) var tables: [Table] = []
    private var index: [String: Int] = [:]

    /// The number of rows held.
    private(set) var count = 0

    /// Adds one row of `table`.
    /// - Parameters:
    ///   - table: one of our tables (a constant, never input); always named with the same columns.
    mutating func add(_ table: String, _ columns: [String], _ row: [SQLValue]) {
        if let position = index[table] {
            tables[position].rows.append(row)
        } else {
            index[table] = tables.count
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            tables.append(
                Table(
                    name: table, columns: columns,
                    insert: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(marks))", rows: [row]))
        }
        count += 1
    }

    /// Writes every row, table by table (one record's rows): one `INSERT` each, or one for all of
    /// a table's rows where the engine has such a statement (`SQLDialect.insertingRows`).
    func insert(in db: any Database) throws {
        let dialect = SQLDialect.of(db)
        for table in tables {
            if table.rows.count > 1, let insert = dialect.insertingRows(into: table.name, columns: table.columns),
                let rows = table.rowsAsJSON
            {
                try db.execute(insert, [.text(rows)])
            } else {
                for row in table.rows { try db.execute(table.insert, row) }
            }
        }
    }

    /// Writes every row, table by table: one bulk load per table where the engine is better
    /// served so (`SQLDialect.statementsAreRoundTrips`), else one `INSERT` per row (many records' rows).
    func load(in db: any Database) throws {
        guard SQLDialect.of(db).statementsAreRoundTrips, let loader = db as? any BulkLoading else {
            return try insert(in: db)
        }
        for table in tables { try loader.load(table.rows, into: table.name, columns: table.columns) }
    }
}

extension TableRows {
    /// Adds every row of `other`.
    mutating func append(_ other: TableRows) {
        for table in other.tables {
            for row in table.rows { add(table.name, table.columns, row) }
        }
    }
}
