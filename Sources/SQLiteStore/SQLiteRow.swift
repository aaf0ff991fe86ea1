import CSQLite
import Storage

/// The current result row of a ``Statement``.
///
/// A row is a view, not a copy: it is valid only until its statement steps again or is reset, so it
/// must not escape the closure it is handed to. Columns are numbered from 0.
///
/// Non-optional accessors throw when the column is `NULL`; optional ones return `nil`. Other
/// storage classes convert as SQLite converts them (`sqlite3_column_int64` of text parses a number).
public struct SQLiteRow: Row {
    let statement: Statement

    private var handle: OpaquePointer { statement.handle }

    /// The number of columns.
    public var count: Int { statement.columnCount }

    /// The name of the column at `index`, as the query spells it.
    public func columnName(at index: Int) -> String { statement.columnName(at: index) }

    /// Whether the column at `index` is `NULL`.
    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, column(index)) == SQLITE_NULL
    }

    /// The column at `index` with its own storage class.
    public func value(_ index: Int) -> SQLValue {
        let index32 = column(index)
        switch sqlite3_column_type(handle, index32) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index32))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index32))
        case SQLITE_TEXT: return .text(optionalString(index) ?? "")
        case SQLITE_BLOB: return .blob(bytes(index32))
        default: return .null
        }
    }

    // MARK: Optional accessors

    /// The column as `Int64`, or `nil` when `NULL`.
    public func optionalInt64(_ index: Int) -> Int64? {
        let index32 = column(index)
        guard sqlite3_column_type(handle, index32) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(handle, index32)
    }

    /// The column as `Double`, or `nil` when `NULL`.
    public func optionalDouble(_ index: Int) -> Double? {
        let index32 = column(index)
        guard sqlite3_column_type(handle, index32) != SQLITE_NULL else { return nil }
        return sqlite3_column_double(handle, index32)
    }

    /// The column as text, or `nil` when `NULL`. Invalid UTF-8 is repaired, never trapped on.
    public func optionalString(_ index: Int) -> String? {
        withUnsafeOptionalText(index) { text in text.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Calls `body` with the text of the column at `index` as SQLite holds it (UTF-8, not checked),
    /// or with `nil` when `NULL`: no `String` is made, for comparing or copying text in bulk.
    /// - Parameter body: Its buffer is valid only during the call.
    public func withUnsafeOptionalText<T>(
        _ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T
    ) rethrows -> T {
        let index32 = column(index)
        // "call sqlite3_column_text() first to force the result into the desired format, then invoke
        // sqlite3_column_bytes() to find the size of the result" (SQLite, "Result Values From A Query").
        // A NULL value gives a null pointer; so may an empty blob (or a failed allocation), which
        // the type tells apart: one call fewer for the usual case, a value that is not NULL.
        guard let pointer = sqlite3_column_text(handle, index32) else {
            guard sqlite3_column_type(handle, index32) != SQLITE_NULL else { return try body(nil) }
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, index32))))
    }

    /// The column as bytes, or `nil` when `NULL`.
    public func optionalBlob(_ index: Int) -> [UInt8]? {
        let index32 = column(index)
        guard sqlite3_column_type(handle, index32) != SQLITE_NULL else { return nil }
        return bytes(index32)
    }

    /// The index of the column called `name`.
    /// - Throws: ``SQLiteError`` (`SQLITE_RANGE`) when the result has no such column.
    public func index(of name: String) throws -> Int {
        guard let index = statement.columnIndex(named: name) else {
            throw SQLiteError(extendedCode: SQLITE_RANGE, message: "no column named \(name)", sql: statement.sql)
        }
        return index
    }

    // MARK: Private

    private func column(_ index: Int) -> Int32 {
        // A column index is a constant of the program, never input: out of range is a programmer error.
        precondition(index >= 0 && index < count, "column index \(index) out of range for `\(statement.sql)`")
        return Int32(index)
    }

    private func bytes(_ index: Int32) -> [UInt8] {
        // A zero-length blob comes back as a null pointer.
        guard let pointer = sqlite3_column_blob(handle, index) else { return [] }
        let length = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    /// The error for reading a `NULL` column as a value (`SQLITE_MISMATCH`).
    public func nullError(_ index: Int) -> any Error {
        SQLiteError(
            extendedCode: SQLITE_MISMATCH,
            message: "column \(index) (\(statement.columnName(at: index))) is NULL",
            sql: statement.sql
        )
    }
}

@available(*, unavailable, message: "a SQLiteRow is a view of its Statement's current row")
extension SQLiteRow: Sendable {}
