/// The current row of a query, as a store hands it to the code reading it.
///
/// A row is a view, not a copy: it is valid only during the closure it is handed to. Columns are
/// numbered from 0. Non-optional accessors throw when the column is `NULL`; optional ones return
/// `nil`. Each store converts as its engine does (SQLite's `sqlite3_column_int64` of text parses a
/// number; PostgreSQL's text results are parsed by type).
public protocol Row {
    /// The number of columns.
    var count: Int { get }
    /// The name of the column at `index`.
    func columnName(at index: Int) -> String
    /// Whether the column at `index` is `NULL`.
    func isNull(_ index: Int) -> Bool
    /// The column at `index` as the kind of value it holds.
    func value(_ index: Int) -> SQLValue
    /// The column as `Int64`, or `nil` when `NULL`.
    func optionalInt64(_ index: Int) -> Int64?
    /// The column as `Double`, or `nil` when `NULL`.
    func optionalDouble(_ index: Int) -> Double?
    /// The column as text, or `nil` when `NULL`.
    func optionalString(_ index: Int) -> String?
    /// The column as bytes, or `nil` when `NULL`.
    func optionalBlob(_ index: Int) -> [UInt8]?
    /// Calls `body` with the column's UTF-8 bytes without copying them, or with `nil` when `NULL`;
    /// the buffer is valid only during the call.
    func withUnsafeOptionalText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T
    /// The index of the column named `name` (as the query spells it, e.g. an `AS` alias).
    /// - Throws: The store's error when the query has no such column.
    func index(of name: String) throws -> Int
    /// The error a non-optional accessor throws for a `NULL` column.
    func nullError(_ index: Int) -> any Error
}

extension Row {
    /// The column names, in order.
    public var columnNames: [String] { (0..<count).map { columnName(at: $0) } }

    /// Every column as the kind of value it holds.
    public var values: [SQLValue] { (0..<count).map { value($0) } }

    // MARK: Optional accessors

    /// The column as `Int`, or `nil` when `NULL`.
    public func optionalInt(_ index: Int) -> Int? { optionalInt64(index).map { Int(truncatingIfNeeded: $0) } }

    /// The column as `Bool` (non-zero is `true`), or `nil` when `NULL`.
    public func optionalBool(_ index: Int) -> Bool? { optionalInt64(index).map { $0 != 0 } }

    // MARK: Non-optional accessors

    /// The column as `Int64`; throws when `NULL`.
    public func int64(_ index: Int) throws -> Int64 {
        guard let value = optionalInt64(index) else { throw nullError(index) }
        return value
    }

    /// The column as `Int`; throws when `NULL`.
    public func int(_ index: Int) throws -> Int { Int(truncatingIfNeeded: try int64(index)) }

    /// The column as `Double`; throws when `NULL`.
    public func double(_ index: Int) throws -> Double {
        guard let value = optionalDouble(index) else { throw nullError(index) }
        return value
    }

    /// The column as `Bool` (non-zero is `true`); throws when `NULL`.
    public func bool(_ index: Int) throws -> Bool { try int64(index) != 0 }

    /// The column as text; throws when `NULL`.
    public func string(_ index: Int) throws -> String {
        guard let value = optionalString(index) else { throw nullError(index) }
        return value
    }

    /// Calls `body` with the column's UTF-8 bytes without copying them; throws when `NULL`.
    public func withUnsafeText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        guard let result = try withUnsafeOptionalText(index, { try $0.map(body) }) else { throw nullError(index) }
        return result
    }

    /// The column as bytes; throws when `NULL`.
    public func blob(_ index: Int) throws -> [UInt8] {
        guard let value = optionalBlob(index) else { throw nullError(index) }
        return value
    }

    // MARK: By name

    /// The named column as the kind of value it holds.
    public func value(_ name: String) throws -> SQLValue { value(try index(of: name)) }
    /// Whether the named column is `NULL`.
    public func isNull(_ name: String) throws -> Bool { isNull(try index(of: name)) }
    /// The named column as `Int64`; throws when `NULL`.
    public func int64(_ name: String) throws -> Int64 { try int64(try index(of: name)) }
    /// The named column as `Int`; throws when `NULL`.
    public func int(_ name: String) throws -> Int { try int(try index(of: name)) }
    /// The named column as `Double`; throws when `NULL`.
    public func double(_ name: String) throws -> Double { try double(try index(of: name)) }
    /// The named column as `Bool`; throws when `NULL`.
    public func bool(_ name: String) throws -> Bool { try bool(try index(of: name)) }
    /// The named column as text; throws when `NULL`.
    public func string(_ name: String) throws -> String { try string(try index(of: name)) }
    /// The named column as bytes; throws when `NULL`.
    public func blob(_ name: String) throws -> [UInt8] { try blob(try index(of: name)) }
    /// The named column as `Int64`, or `nil` when `NULL`.
    public func optionalInt64(_ name: String) throws -> Int64? { optionalInt64(try index(of: name)) }
    /// The named column as `Int`, or `nil` when `NULL`.
    public func optionalInt(_ name: String) throws -> Int? { optionalInt(try index(of: name)) }
    /// The named column as `Double`, or `nil` when `NULL`.
    public func optionalDouble(_ name: String) throws -> Double? { optionalDouble(try index(of: name)) }
    /// The named column as `Bool`, or `nil` when `NULL`.
    public func optionalBool(_ name: String) throws -> Bool? { optionalBool(try index(of: name)) }
    /// The named column as text, or `nil` when `NULL`.
    public func optionalString(_ name: String) throws -> String? { optionalString(try index(of: name)) }
    /// The named column as bytes, or `nil` when `NULL`.
    public func optionalBlob(_ name: String) throws -> [UInt8]? { optionalBlob(try index(of: name)) }
}
