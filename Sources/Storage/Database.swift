/// One connection to a database, as the code above the stores uses it: statements with bound
/// arguments, rows read in a closure, transactions. SQLite's and PostgreSQL's stores implement it;
/// repositories are written once against it.
///
/// A connection is used by one thread at a time (the stores' pools hand it out). SQL text is a
/// constant of the program and arguments are always bound, never formatted into it: `?` marks a
/// parameter on both stores. Where the two engines' SQL differs, the caller asks ``backend``
/// in one named place rather than writing the difference into each query.
public protocol Database: AnyObject {
    /// The row type this connection's queries hand out.
    associatedtype ResultRow: Row
    /// The forward-only cursor ``cursor(_:_:)`` opens.
    associatedtype Cursor: RowCursor

    /// Which engine this is.
    var backend: Backend { get }

    /// Runs SQL of one or more statements without arguments (a migration's script).
    func execute(_ sql: String) throws

    /// Runs one statement with positional arguments.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws

    /// Streams the rows of a query to `body` without collecting them; the row must not escape it.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (ResultRow) throws -> Void) throws

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    func queryOne<T>(_ sql: String, _ arguments: [SQLValue], row: (ResultRow) throws -> T) throws -> T?

    /// Opens a cursor on a query, for reading its rows beside other queries on this connection.
    func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> Cursor

    /// Rows changed by the most recent `INSERT`, `UPDATE` or `DELETE` on this connection.
    var changes: Int { get }

    /// Whether a transaction is open.
    var isInTransaction: Bool { get }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws. Inside an
    /// open transaction this nests as a savepoint, so an inner failure undoes only the inner work.
    /// - Throws: What `body` threw, after rolling back; or the store's error from `BEGIN` or
    ///   `COMMIT` (including a transaction the engine rolled back by itself), in which case nothing
    ///   was committed.
    func transaction<T>(_ kind: TransactionKind, _ body: (Self) throws -> T) throws -> T

    /// Defers the current transaction's foreign-key checks to its commit (an import that writes
    /// records before those they refer to).
    func deferForeignKeys() throws

    /// Lets the rest of the current transaction run statements, its commit included, for as long
    /// as they need: the set-based statements and deferred checks of a bulk import grow with the
    /// import, past the per-statement limit that guards requests. Ends with the transaction.
    func allowLongStatements() throws

    /// Runs `body` without the triggers on `tables`, inside the current transaction, which holds
    /// both the suspension and its end: no other connection ever sees a table without its
    /// triggers, and a rollback brings them back. For set-based work that does what the triggers
    /// do, row by row, for many rows at once.
    func withoutTriggers<T>(on tables: [String], _ body: () throws -> T) throws -> T

    /// An object kept with this connection, one per type, for code above that is handed only the
    /// connection: for example work that a long transaction defers to its end.
    subscript<Value: AnyObject>(attachment type: Value.Type) -> Value? { get set }
}

/// A forward-only walk over a query's rows.
public protocol RowCursor {
    associatedtype ResultRow: Row
    /// Moves to the next row; `false` once there are no more.
    mutating func step() throws -> Bool
    /// The current row, valid until the next ``step()``.
    var row: ResultRow { get }
}

/// The database engines Bilateral runs on.
public enum Backend: String, Sendable, CaseIterable {
    case sqlite
    case postgresql
}

extension Database {
    /// Runs one statement with positional arguments.
    public func execute(_ sql: String, _ arguments: any SQLBindable...) throws {
        try execute(sql, arguments.map(\.sqlValue))
    }

    /// Runs a query and maps every row.
    /// - Parameter row: Called once per row; the ``Row`` must not escape it.
    public func query<T>(_ sql: String, _ arguments: [SQLValue], row: (ResultRow) throws -> T) throws -> [T] {
        var results: [T] = []
        try forEachRow(sql, arguments) { results.append(try row($0)) }
        return results
    }

    /// Runs a query and maps every row.
    public func query<T>(_ sql: String, _ arguments: any SQLBindable..., row: (ResultRow) throws -> T) throws -> [T] {
        try query(sql, arguments.map(\.sqlValue), row: row)
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: any SQLBindable..., row: (ResultRow) throws -> T) throws -> T? {
        try queryOne(sql, arguments.map(\.sqlValue), row: row)
    }

    /// Streams the rows of a query to `body` without collecting them, e.g. for an export.
    public func forEachRow(_ sql: String, _ arguments: any SQLBindable..., body: (ResultRow) throws -> Void) throws {
        try forEachRow(sql, arguments.map(\.sqlValue), body)
    }

    /// The first column of the first row, or `nil` when the query returns no row.
    ///
    /// ```swift
    /// let count = try db.scalar("SELECT count(*) FROM actors")?.int ?? 0
    /// ```
    public func scalar(_ sql: String, _ arguments: [SQLValue]) throws -> SQLValue? {
        try queryOne(sql, arguments) { $0.value(0) }
    }

    /// The first column of the first row, or `nil` when the query returns no row.
    public func scalar(_ sql: String, _ arguments: any SQLBindable...) throws -> SQLValue? {
        try scalar(sql, arguments.map(\.sqlValue))
    }

    /// Runs `body` in a deferred transaction (see ``transaction(_:_:)``).
    public func transaction<T>(_ body: (Self) throws -> T) throws -> T {
        try transaction(.deferred, body)
    }
}
