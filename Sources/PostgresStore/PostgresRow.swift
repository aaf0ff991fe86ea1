import CLibPQ
import Storage

/// One row of a query's result (`PGresult`).
///
/// A row is a view, not a copy: it is valid only while its result is, so it must not escape the
/// closure it is handed to. Columns are numbered from 0. Values arrive in text format and are
/// parsed by the column's type (`PQftype`): integers, floats, `numeric`, `boolean` (as 1 and 0,
/// the way SQLite stores them), `bytea` (as bytes); anything else is text.
public struct PostgresRow: Row {
    let result: OpaquePointer
    let row: Int32
    /// The statement, for errors.
    let sql: String

    /// Type OIDs from PostgreSQL's `pg_type.dat`, which libpq does not export.
    enum TypeOID {
        static let bool: UInt32 = 16
        static let bytea: UInt32 = 17
        static let int8: UInt32 = 20
        static let int2: UInt32 = 21
        static let int4: UInt32 = 23
        static let oid: UInt32 = 26
        static let float4: UInt32 = 700
        static let float8: UInt32 = 701
        static let numeric: UInt32 = 1700
    }

    /// The number of columns.
    public var count: Int { Int(PQnfields(result)) }

    /// The name of the column at `index`, as the query spells it.
    public func columnName(at index: Int) -> String {
        PQfname(result, column(index)).map { String(cString: $0) } ?? ""
    }

    /// Whether the column at `index` is `NULL` (`PQgetisnull`: `PQgetvalue` gives an empty string
    /// for both `NULL` and the empty string).
    public func isNull(_ index: Int) -> Bool {
        PQgetisnull(result, row, column(index)) == 1
    }

    /// The column at `index` as the kind of value its type holds.
    public func value(_ index: Int) -> SQLValue {
        let column = column(index)
        guard PQgetisnull(result, row, column) == 0 else { return .null }
        switch PQftype(result, column) {
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid:
            return optionalInt64(index).map(SQLValue.integer) ?? .null
        case TypeOID.float4, TypeOID.float8:
            return optionalDouble(index).map(SQLValue.real) ?? .null
        case TypeOID.numeric:
            let text = optionalString(index) ?? ""
            if let integer = Int64(text) { return .integer(integer) }
            return Self.double(text).map(SQLValue.real) ?? .text(text)
        case TypeOID.bool:
            return .integer(optionalInt64(index) ?? 0)
        case TypeOID.bytea:
            return .blob(optionalBlob(index) ?? [])
        default:
            return .text(optionalString(index) ?? "")
        }
    }

    // MARK: Optional accessors

    /// The column as `Int64`, or `nil` when `NULL`: a boolean is 1 or 0; a number with a fraction
    /// is truncated (as SQLite's `sqlite3_column_int64` does); text that is no number reads as 0.
    public func optionalInt64(_ index: Int) -> Int64? {
        withUnsafeOptionalText(index) { text -> Int64? in
            guard let text else { return nil }
            let string = String(decoding: text, as: UTF8.self)
            if let integer = Int64(string) { return integer }
            if string == "t" { return 1 }
            if string == "f" { return 0 }
            guard let double = Self.double(string), double.isFinite else { return 0 }
            return Int64(exactly: double.rounded(.towardZero)) ?? (double < 0 ? .min : .max)
        }
    }

    /// The column as `Double`, or `nil` when `NULL`; a boolean is 1 or 0, text that is no number 0.
    public func optionalDouble(_ index: Int) -> Double? {
        withUnsafeOptionalText(index) { text -> Double? in
            guard let text else { return nil }
            let string = String(decoding: text, as: UTF8.self)
            if string == "t" { return 1 }
            if string == "f" { return 0 }
            return Self.double(string) ?? 0
        }
    }

    /// The column's text, or `nil` when `NULL`. Invalid UTF-8 is repaired, never trapped on.
    public func optionalString(_ index: Int) -> String? {
        withUnsafeOptionalText(index) { text in text.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Calls `body` with the column's text as the server sent it (`PQgetvalue`, `PQgetlength`),
    /// without copying it, or with `nil` when `NULL`. A `bytea` column is its hex text.
    /// - Parameter body: Its buffer is valid only during the call.
    public func withUnsafeOptionalText<T>(
        _ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T
    ) rethrows -> T {
        let column = column(index)
        guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else {
            return try body(nil)
        }
        let length = Int(PQgetlength(result, row, column))
        return try value.withMemoryRebound(to: UInt8.self, capacity: length) { pointer in
            try body(UnsafeBufferPointer(start: pointer, count: length))
        }
    }

    /// The column as bytes, or `nil` when `NULL`: a `bytea` decoded (`PQunescapeBytea`), any other
    /// type its UTF-8 text.
    public func optionalBlob(_ index: Int) -> [UInt8]? {
        let column = column(index)
        guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else { return nil }
        guard PQftype(result, column) == TypeOID.bytea else {
            return withUnsafeOptionalText(index) { $0.map(Array.init) }
        }
        var length = 0
        let decoded = value.withMemoryRebound(to: UInt8.self, capacity: Int(PQgetlength(result, row, column)) + 1) {
            PQunescapeBytea($0, &length)
        }
        guard let decoded else { return [] }
        defer { PQfreemem(decoded) }
        return Array(UnsafeBufferPointer(start: decoded, count: length))
    }

    /// The index of the column called exactly `name`.
    ///
    /// `PQfnumber` reads its argument as SQL would: "The given name is treated like an identifier
    /// in an SQL command, that is, it is downcased unless double-quoted." The name is quoted, so
    /// `createdAt` finds the column aliased `"createdAt"` and not `createdat`.
    /// - Throws: ``PostgresError`` (`.misuse`) when the result has no such column.
    public func index(of name: String) throws -> Int {
        let escaped = name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
        let quoted = "\"" + escaped + "\""
        let index = PQfnumber(result, quoted)
        guard index >= 0 else { throw PostgresError.misuse("no column named \(name)", sql: sql) }
        return Int(index)
    }

    /// The error for reading a `NULL` column as a value (`.misuse`).
    public func nullError(_ index: Int) -> any Error {
        PostgresError.misuse("column \(index) (\(columnName(at: index))) is NULL", sql: sql)
    }

    // MARK: Private

    private func column(_ index: Int) -> Int32 {
        // A column index is a constant of the program, never input: out of range is a programmer error.
        precondition(index >= 0 && index < count, "column index \(index) out of range for `\(sql)`")
        return Int32(index)
    }

    /// A `float8`'s or `numeric`'s text as a `Double`, including PostgreSQL's spellings of the
    /// special values.
    static func double(_ text: String) -> Double? {
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}

@available(*, unavailable, message: "a PostgresRow is a view of a result its query clears")
extension PostgresRow: Sendable {}
