/// Running one statement with arguments, through the statement cache.
///
/// Arguments are always bound, never formatted into the SQL: SQL text is a constant of the program.
extension Database {
    /// Runs one statement with positional arguments.
    /// - Throws: ``SQLiteError``, e.g. with ``SQLiteError/isUniqueConstraint``.
    public func execute(_ sql: String, _ arguments: [SQLiteValue]) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        try statement.execute()
    }

    /// Runs one statement with positional arguments.
    public func execute(_ sql: String, _ arguments: any SQLiteBindable...) throws {
        try execute(sql, arguments.map(\.sqliteValue))
    }

    /// Runs one statement with named arguments (`:name` in the SQL; keys with or without the `:`).
    public func execute(_ sql: String, named arguments: [String: SQLiteValue]) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(named: arguments)
        try statement.execute()
    }

    /// Runs a query and maps every row.
    /// - Parameter row: Called once per row; the ``Row`` must not escape it.
    public func query<T>(_ sql: String, _ arguments: [SQLiteValue], row: (Row) throws -> T) throws -> [T] {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        return try statement.map(row)
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ arguments: any SQLiteBindable..., row: (Row) throws -> T) throws -> [T] {
        try query(sql, arguments.map(\.sqliteValue), row: row)
    }

    /// Runs a query with named arguments and maps every row.
    public func query<T>(_ sql: String, named arguments: [String: SQLiteValue], row: (Row) throws -> T) throws -> [T] {
        let statement = try cachedStatement(sql)
        try statement.bind(named: arguments)
        return try statement.map(row)
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: [SQLiteValue], row: (Row) throws -> T) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try statement.step() ? try row(statement.row) : nil
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: any SQLiteBindable..., row: (Row) throws -> T) throws -> T? {
        try queryOne(sql, arguments.map(\.sqliteValue), row: row)
    }

    /// Runs a query with named arguments and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(
        _ sql: String, named arguments: [String: SQLiteValue], row: (Row) throws -> T
    ) throws -> T? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(named: arguments)
        return try statement.step() ? try row(statement.row) : nil
    }

    /// Streams the rows of a query to `body` without collecting them, e.g. for an export.
    public func forEachRow(_ sql: String, _ arguments: [SQLiteValue], _ body: (Row) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        try statement.forEachRow(body)
    }

    /// Streams the rows of a query to `body` without collecting them, e.g. for an export.
    public func forEachRow(_ sql: String, _ arguments: any SQLiteBindable..., body: (Row) throws -> Void) throws {
        try forEachRow(sql, arguments.map(\.sqliteValue), body)
    }

    /// The first column of the first row, or `nil` when the query returns no row.
    ///
    /// ```swift
    /// let count = try db.scalar("SELECT count(*) FROM actors")?.int ?? 0
    /// ```
    public func scalar(_ sql: String, _ arguments: [SQLiteValue]) throws -> SQLiteValue? {
        try queryOne(sql, arguments) { $0.value(0) }
    }

    /// The first column of the first row, or `nil` when the query returns no row.
    public func scalar(_ sql: String, _ arguments: any SQLiteBindable...) throws -> SQLiteValue? {
        try scalar(sql, arguments.map(\.sqliteValue))
    }
}
