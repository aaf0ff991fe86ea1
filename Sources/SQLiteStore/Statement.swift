import CSQLite
import Storage

/// A prepared statement (`sqlite3_stmt`) of one ``SQLiteDatabase``.
///
/// Parameters are numbered from 1, as in SQLite; named parameters are written `:name` (or `@name`,
/// `$name`) in the SQL. A statement must not outlive its database and is confined to it.
public final class Statement {
    /// The `sqlite3_stmt` handle.
    let handle: OpaquePointer
    /// The connection the statement belongs to, for error messages.
    let connection: OpaquePointer
    /// The SQL the statement was prepared from (never with values expanded).
    public let sql: String
    /// Column indices by lowercased name, built on first lookup by name.
    private var columnIndices: [String: Int]?

    init(handle: OpaquePointer, connection: OpaquePointer, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of parameters (the largest parameter index).
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// The number of columns in each result row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Whether the statement makes no direct change to the database (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The current row. Valid only after ``step()`` returned `true` and until the next step or reset.
    public var row: SQLiteRow { SQLiteRow(statement: self) }

    // MARK: Binding

    /// Binds `value` to the parameter at `index` (1-based).
    /// - Throws: ``SQLiteError`` with `SQLITE_RANGE` when there is no such parameter, or
    ///   `SQLITE_TOOBIG` when the value exceeds SQLite's limits.
    public func bind(_ value: SQLValue, at index: Int) throws {
        guard let index32 = Int32(exactly: index) else {
            throw SQLiteError(extendedCode: SQLITE_RANGE, message: "parameter index \(index) out of range", sql: sql)
        }
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(handle, index32)
        case .integer(let integer):
            result = sqlite3_bind_int64(handle, index32, integer)
        case .real(let real):
            result = sqlite3_bind_double(handle, index32, real)
        case .text(var text):
            result = text.withUTF8 { bytes in
                // A null pointer would bind NULL, so an empty string is bound from a literal.
                guard let base = bytes.baseAddress, !bytes.isEmpty else {
                    return sqlite3_bind_text(handle, index32, "", 0, bilateral_sqlite_transient())
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text64(
                        handle, index32, $0, UInt64(bytes.count), bilateral_sqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            result = bytes.withUnsafeBytes { buffer in
                // Same as text: a null pointer would bind NULL instead of an empty blob.
                guard let base = buffer.baseAddress, !buffer.isEmpty else {
                    return sqlite3_bind_zeroblob(handle, index32, 0)
                }
                return sqlite3_bind_blob64(handle, index32, base, UInt64(buffer.count), bilateral_sqlite_transient())
            }
        }
        guard result == SQLITE_OK else {
            throw SQLiteError(connection: connection, resultCode: result, sql: sql)
        }
    }

    /// Binds a Swift value to the parameter at `index` (1-based).
    public func bind(_ value: any SQLBindable, at index: Int) throws {
        try bind(value.sqlValue, at: index)
    }

    /// Binds `value` to the named parameter; `name` may include its prefix (`:slug`) or not (`slug`).
    /// - Throws: ``SQLiteError`` with `SQLITE_RANGE` when the SQL has no such parameter.
    public func bind(_ value: any SQLBindable, named name: String) throws {
        try bind(value.sqlValue, at: try parameterIndex(named: name))
    }

    /// Binds every parameter in order.
    /// - Throws: ``SQLiteError`` with `SQLITE_RANGE` when the count differs from ``parameterCount``.
    public func bind(_ values: [SQLValue]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError(
                extendedCode: SQLITE_RANGE,
                message: "statement has \(parameterCount) parameters but \(values.count) arguments were given",
                sql: sql
            )
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds named parameters; keys may include their prefix (`:slug`) or not (`slug`).
    public func bind(named values: [String: SQLValue]) throws {
        for (name, value) in values {
            try bind(value, at: try parameterIndex(named: name))
        }
    }

    /// Sets every parameter back to `NULL`.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    private func parameterIndex(named name: String) throws -> Int {
        let candidates = name.first.map { ":@$".contains($0) } == true ? [name] : [":" + name, "@" + name, "$" + name]
        for candidate in candidates {
            let index = sqlite3_bind_parameter_index(handle, candidate)
            if index > 0 { return Int(index) }
        }
        throw SQLiteError(extendedCode: SQLITE_RANGE, message: "no parameter named \(name)", sql: sql)
    }

    // MARK: Stepping

    /// Advances to the next row.
    /// - Returns: `true` when a row is available through ``row``, `false` when the statement is done.
    /// - Throws: ``SQLiteError`` when execution fails.
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        case let result:
            throw SQLiteError(connection: connection, resultCode: result, sql: sql)
        }
    }

    /// Rewinds the statement so it can run again; bindings are kept.
    public func reset() {
        // sqlite3_reset repeats the error of the last step, which step() has already thrown.
        sqlite3_reset(handle)
    }

    /// Runs the statement to completion, ignoring any rows.
    public func execute() throws {
        defer { reset() }
        while try step() {}
    }

    /// Runs the statement and calls `body` with each row as it is produced.
    public func forEachRow(_ body: (SQLiteRow) throws -> Void) throws {
        defer { reset() }
        while try step() {
            try body(row)
        }
    }

    /// Runs the statement and maps every row.
    public func map<T>(_ transform: (SQLiteRow) throws -> T) throws -> [T] {
        var results: [T] = []
        try forEachRow { results.append(try transform($0)) }
        return results
    }

    // MARK: Columns

    /// The name of the column at `index` (0-based).
    public func columnName(at index: Int) -> String {
        precondition(index >= 0 && index < columnCount, "column index \(index) out of range")
        return sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// The index of the column called `name` (case-insensitively, as SQLite compares names).
    public func columnIndex(named name: String) -> Int? {
        if columnIndices == nil {
            var indices: [String: Int] = [:]
            for index in (0..<columnCount).reversed() {
                // Reversed, so that with duplicate names the leftmost column wins.
                indices[columnName(at: index).lowercased()] = index
            }
            columnIndices = indices
        }
        return columnIndices?[name.lowercased()]
    }
}

@available(*, unavailable, message: "a Statement is confined to its SQLiteDatabase's thread")
extension Statement: Sendable {}
