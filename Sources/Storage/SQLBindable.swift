/// A Swift value that can be bound to a statement parameter.
///
/// `Int`, `Int64`, `Int32`, `Double`, `String`, `Bool`, `[UInt8]`, `SQLValue` and optionals of
/// any of them conform; `nil` binds SQL `NULL`.
public protocol SQLBindable {
    /// The value a store binds for this Swift value.
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLBindable {
    /// Itself.
    public var sqlValue: SQLValue { self }
}

extension Int: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int64: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(self) }
}

extension Int32: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Double: SQLBindable {
    /// `.real`.
    public var sqlValue: SQLValue { .real(self) }
}

extension String: SQLBindable {
    /// `.text`.
    public var sqlValue: SQLValue { .text(self) }
}

extension Substring: SQLBindable {
    /// `.text`.
    public var sqlValue: SQLValue { .text(String(self)) }
}

extension Bool: SQLBindable {
    /// `.integer(1)` or `.integer(0)`, as SQLite itself stores `TRUE` and `FALSE`.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

extension Array: SQLBindable where Element == UInt8 {
    /// `.blob`.
    public var sqlValue: SQLValue { .blob(self) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// The wrapped value's, or `.null`.
    public var sqlValue: SQLValue {
        switch self {
        case .none: return .null
        case .some(let wrapped): return wrapped.sqlValue
        }
    }
}
