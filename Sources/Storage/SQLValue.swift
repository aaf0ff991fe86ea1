/// A value bound to a statement or read from a row: one of SQLite's five storage classes, which
/// are also the kinds of value the schema stores on PostgreSQL (`bigint`, `double precision`,
/// `text`, `bytea`; booleans as 0 and 1, as SQLite stores them).
///
/// SQLite's documentation: "Each value stored in an SQLite database (or manipulated by the database
/// engine) has one of the following storage classes: NULL, INTEGER, REAL, TEXT, BLOB."
public enum SQLValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A signed 64-bit integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Raw bytes.
    case blob([UInt8])

    /// Whether this is SQL `NULL`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The integer, or `nil` when this is not `.integer`.
    public var int64: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The integer as `Int`, or `nil` when this is not `.integer`.
    public var int: Int? {
        int64.map { Int(truncatingIfNeeded: $0) }
    }

    /// The number as `Double` (integers are widened), or `nil` for other storage classes.
    public var double: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// The text, or `nil` when this is not `.text`.
    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, or `nil` when this is not `.blob`.
    public var blob: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }
}
