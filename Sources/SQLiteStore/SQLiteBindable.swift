/// A Swift value that can be bound to a statement parameter.
///
/// `Int`, `Int64`, `Int32`, `Double`, `String`, `Bool`, `[UInt8]`, `SQLiteValue` and optionals of
/// any of them conform; `nil` binds SQL `NULL`.
public protocol SQLiteBindable {
    /// The value SQLite stores for this Swift value.
    var sqliteValue: SQLiteValue { get }
}

extension SQLiteValue: SQLiteBindable {
    /// Itself.
    public var sqliteValue: SQLiteValue { self }
}

extension Int: SQLiteBindable {
    /// `.integer`.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Int64: SQLiteBindable {
    /// `.integer`.
    public var sqliteValue: SQLiteValue { .integer(self) }
}

extension Int32: SQLiteBindable {
    /// `.integer`.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Double: SQLiteBindable {
    /// `.real`.
    public var sqliteValue: SQLiteValue { .real(self) }
}

extension String: SQLiteBindable {
    /// `.text`.
    public var sqliteValue: SQLiteValue { .text(self) }
}

extension Substring: SQLiteBindable {
    /// `.text`.
    public var sqliteValue: SQLiteValue { .text(String(self)) }
}

extension Bool: SQLiteBindable {
    /// `.integer(1)` or `.integer(0)`, as SQLite itself stores `TRUE` and `FALSE`.
    public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
}

extension Array: SQLiteBindable where Element == UInt8 {
    /// `.blob`.
    public var sqliteValue: SQLiteValue { .blob(self) }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    /// The wrapped value's, or `.null`.
    public var sqliteValue: SQLiteValue {
        switch self {
        case .none: return .null
        case .some(let wrapped): return wrapped.sqliteValue
        }
    }
}
