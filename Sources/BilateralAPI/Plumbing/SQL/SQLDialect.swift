import Storage

/// What differs between SQLite's and PostgreSQL's SQL, outside full text (`FullTextDialect`), in
/// one place: repositories ask it for a fragment instead of testing the backend themselves. What
/// both engines read the same way (`INSERT ... ON CONFLICT`, row values, `CAST(? AS TEXT)`) is
/// written once in the repositories.
struct SQLDialect: Sendable {
    let backend: Backend

    /// The dialect of `db`'s engine.
    static func of(_ db: any Database) -> SQLDialect { SQLDialect(backend: db.backend) }

    /// A table of the elements of one parameter, a JSON array of strings, as `alias`, with the
    /// columns `key` (the 0-based position) and `value` (the string).
    func jsonTextArray(as alias: String) -> String {
        switch backend {
        case .sqlite: "json_each(?) \(alias)"
        case .postgresql:
            "(SELECT value, ordinality - 1 AS key FROM json_array_elements_text(CAST(? AS json)) WITH ORDINALITY) \(alias)"
        }
    }

    /// A table of the elements of `column`, a JSON array of strings, as `alias` with the column
    /// `value`.
    func jsonTextElements(of column: String, as alias: String) -> String {
        switch backend {
        case .sqlite: "json_each(\(column)) \(alias)"
        case .postgresql: "json_array_elements_text(CAST(\(column) AS json)) AS \(alias)(value)"
        }
    }

    /// The name of the temporary table `name`, as queries refer to it.
    func temporaryTable(_ name: String) -> String {
        switch backend {
        case .sqlite: "temp.\(name)"
        case .postgresql: "pg_temp.\(name)"
        }
    }

    /// Creates, unless it exists, the temporary table `name` of one text key column, `id`, for
    /// the connection's own use (`temporaryTable(_:)` names it).
    func createTemporaryKeyTable(_ name: String) -> String {
        switch backend {
        case .sqlite: "CREATE TABLE IF NOT EXISTS temp.\(name) (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID"
        case .postgresql: #"CREATE TEMPORARY TABLE IF NOT EXISTS \#(name) (id TEXT COLLATE "C" PRIMARY KEY NOT NULL)"#
        }
    }

    /// `column` compared and ordered with ASCII letters case-folded (SQLite's `NOCASE`).
    func caseless(_ column: String) -> String {
        switch backend {
        case .sqlite: "\(column) COLLATE NOCASE"
        // `lower` under the "C" collation folds ASCII letters only, as NOCASE does.
        case .postgresql: #"lower(\#(column) COLLATE "C")"#
        }
    }

    /// A text parameter (`?`) folded as ``caseless(_:)`` folds a column, to compare with one.
    var caselessParameter: String {
        switch backend {
        case .sqlite: "? COLLATE NOCASE"
        case .postgresql: #"lower(CAST(? AS TEXT) COLLATE "C")"#
        }
    }

    /// `expression LIKE pattern` with ASCII letters case-folded, as SQLite's `LIKE` is, and `\`
    /// escaping `%`, `_` and itself in the pattern.
    func caselessLike(_ expression: String, _ pattern: String) -> String {
        switch backend {
        case .sqlite: "\(expression) LIKE \(pattern) ESCAPE '\\'"
        case .postgresql: "\(expression) ILIKE \(pattern) ESCAPE '\\'"
        }
    }

    /// Whether a join driven by a small table (a JSON array of ids) returns its rows in the
    /// driving table's order without an `ORDER BY`: SQLite's nested loops do, while PostgreSQL's
    /// planner may choose a hash or merge join that does not.
    var keepsDrivingOrder: Bool {
        switch backend {
        case .sqlite: true
        case .postgresql: false
        }
    }

    /// Whether every statement is a round trip to a server (PostgreSQL), so that fewer, larger
    /// statements win, rather than a call into the process (SQLite), where a cached statement runs
    /// in microseconds. Where it is, the code:
    /// - reads a record's child tables in one query (`ChildTablesUnion`), where SQLite reads each in
    ///   its index's order, with no sort;
    /// - inserts a meeting's derived countries with `INSERT ... SELECT`, which SQLite would copy into
    ///   a temporary table first, as the target table has triggers;
    /// - looks up a record's references with one query per table, where SQLite probes its cached
    ///   one-id statement and would build a temporary index for an `IN` list's values;
    /// - writes an import's rows with one bulk load per table (`BulkLoading`: `COPY`) instead of an
    ///   `INSERT` each.
    var statementsAreRoundTrips: Bool {
        switch backend {
        case .sqlite: false
        case .postgresql: true
        }
    }

    /// One statement that inserts any number of rows into `columns` of `table`, from one
    /// parameter: a JSON array of objects keyed by column name, each value converted to its
    /// column's type by the engine — or nil where a statement per row costs no more (SQLite runs
    /// in the process; on PostgreSQL each statement is a round trip). One text whatever the
    /// number of rows, so one prepared statement serves them all.
    /// - Parameter table: one of our tables (a constant, never input), as are `columns`.
    func insertingRows(into table: String, columns: [String]) -> String? {
        switch backend {
        case .sqlite: nil
        case .postgresql:
            """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(columns.joined(separator: ", "))
            FROM json_populate_recordset(CAST(NULL AS \(table)), CAST(? AS json))
            """
        }
    }

    /// How many records an import's ``DeferredRefresh`` notes before it recomputes them. SQLite
    /// keeps the noted ids in this process, which the number bounds. PostgreSQL keeps them on the
    /// server, and a flush costs more than its share: its statements find the batch's rows among
    /// all those the import wrote before, and update the same pair counters again. The harness's
    /// 102,000 records went in in 22 s with one flush at 100,000, in 26 s with flushes of 10,000.
    var deferredRefreshBatch: Int {
        switch backend {
        case .sqlite: 10_000
        case .postgresql: 100_000
        }
    }

    /// The larger of two values (SQLite's two-argument `max`, PostgreSQL's `GREATEST`).
    func greatest(_ a: String, _ b: String) -> String {
        switch backend {
        case .sqlite: "max(\(a), \(b))"
        case .postgresql: "GREATEST(\(a), \(b))"
        }
    }

    /// One statement that takes the change feed's next number and appends a change with it, with
    /// the parameters (type, id, op, version, at, record) — or nil where two statements cost no
    /// more (`ChangeLog.append`): SQLite runs in the process, while on PostgreSQL each statement is
    /// a round trip, and SQLite has no `UPDATE` inside a `WITH`.
    var appendChange: String? {
        switch backend {
        case .sqlite: nil
        case .postgresql:
            """
            WITH clock AS (UPDATE change_clock SET last_seq = last_seq + 1 RETURNING last_seq)
            INSERT INTO changes (seq, type, id, op, version, at, record)
            SELECT last_seq, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT),
                CAST(? AS TEXT)
            FROM clock
            """
        }
    }

    /// Whether the schema has a table called `name` (a database migrated only part of the way).
    func tableExists(_ name: String, in db: any Database) throws -> Bool {
        let sql =
            switch backend {
            case .sqlite: "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?"
            case .postgresql: "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?"
            }
        return try db.scalar(sql, [.text(name)]) != nil
    }
}

/// A value made once for each engine, e.g. SQL text built at start-up, read for a connection's.
struct PerDialect<Value: Sendable>: Sendable {
    private let sqlite: Value
    private let postgresql: Value

    /// Makes the value for each dialect.
    init(_ make: (SQLDialect) -> Value) {
        sqlite = make(SQLDialect(backend: .sqlite))
        postgresql = make(SQLDialect(backend: .postgresql))
    }

    /// The value for `db`'s engine.
    subscript(_ db: any Database) -> Value {
        switch db.backend {
        case .sqlite: sqlite
        case .postgresql: postgresql
        }
    }
}
