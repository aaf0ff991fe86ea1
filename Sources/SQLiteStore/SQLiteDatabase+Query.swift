import Storage

/// Running one statement with arguments, through the statement cache.
///
/// Arguments are always bound, never formatted into the SQL: SQL text is a constant of the program.
extension SQLiteDatabase {
    /// Runs one statement with positional arguments.
    /// - Throws: ``SQLiteError``, e.g. with ``SQLiteError/isUniqueConstraint``.
    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        try statement.execute()
    }

    /// Runs one statement with named arguments (`:name` in the SQL; keys with or without the `:`).
    public func execute(_ sql: String, named arguments: [String: SQLValue]) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(named: arguments)
        try statement.execute()
    }

    /// Runs a query and maps every row.
    /// Runs a query with named arguments and maps every row.
    public func query<T>(_ sql: String, named arguments: [String: SQLValue], row: (SQLiteRow) throws -> T) throws -> [T]
    {
        let statement = try cachedStatement(sql)
        try statement.bind(named: arguments)
        return try statement.map(row)
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: [SQLValue], row: (SQLiteRow) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try statement.step() ? try row(statement.row) : nil
    }

    /// Runs a query with named arguments and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(
        _ sql: String, named arguments: [String: SQLValue], row: (SQLiteRow) throws -> T
    ) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(named: arguments)
        return try statement.step() ? try row(statement.row) : nil
    }

    /// Streams the rows of a query to `body` without collecting them, e.g. for an export.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLiteRow) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        try statement.forEachRow(body)
    }

    /// Opens a cursor on a query: a statement of its own, outside the statement cache, so other
    /// queries can run on this connection while it is open.
    public func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> SQLiteCursor {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return SQLiteCursor(statement: statement)
    }
}

/// A forward-only walk over the rows of a statement of its own.
public struct SQLiteCursor: RowCursor {
    let statement: Statement

    public mutating func step() throws -> Bool { try statement.step() }

    public var row: SQLiteRow { statement.row }
}
