/// What kind of failure a store reported, in the terms the code above it acts on: each store maps
/// its engine's codes (SQLite's extended result codes, PostgreSQL's SQLSTATE) onto these.
public enum DatabaseErrorKind: Sendable, Equatable {
    /// A `UNIQUE` or `PRIMARY KEY` constraint was violated.
    case uniqueViolation
    /// A `FOREIGN KEY` constraint was violated.
    case foreignKeyViolation
    /// A `NOT NULL` constraint was violated.
    case notNullViolation
    /// A `CHECK` constraint was violated.
    case checkViolation
    /// The transaction lost a race with another one (a serialization failure or a deadlock) and
    /// was rolled back: running it again may succeed.
    case conflict
    /// The data was locked by another connection for longer than the store waits.
    case busy
    /// A statement ran longer than the store allows, or was interrupted on purpose (shutdown).
    case interrupted
    /// The database cannot be reached or the connection was lost.
    case unavailable
    /// A write was attempted where only reads are allowed.
    case readOnly
    /// The database's storage is damaged.
    case corrupt
    /// The query itself is wrong for this database: a syntax error, an unknown name, a function
    /// given an argument it cannot use (for a full-text query, the user's query text).
    case invalidQuery
    /// The store was used in a way it does not allow (a programmer error, reported, not trapped).
    case misuse
    /// Anything else.
    case other

    /// Whether any constraint was violated.
    public var isConstraint: Bool {
        switch self {
        case .uniqueViolation, .foreignKeyViolation, .notNullViolation, .checkViolation: return true
        default: return false
        }
    }

    /// Whether the failure says nothing about the request: the database is busy, gone or losing a
    /// race, so the same request may succeed later (a 503 with `Retry-After`, never a 500).
    public var isTransient: Bool {
        switch self {
        case .conflict, .busy, .unavailable: return true
        default: return false
        }
    }
}

/// An error a store reports. Each store has its own error type with the engine's details; code
/// above the stores reads only ``kind``.
///
/// ```swift
/// catch let error as any DatabaseError where error.kind == .uniqueViolation { ... }
/// ```
public protocol DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    var kind: DatabaseErrorKind { get }
    /// The engine's message, without bound values.
    var message: String { get }
}

/// An error this layer makes itself, for failures no engine reported (a column read by a name
/// the query does not have).
public struct StoreError: DatabaseError {
    public let kind: DatabaseErrorKind
    public let message: String

    /// Creates an error of `kind`.
    public init(_ kind: DatabaseErrorKind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "store error (\(kind)): \(message)" }
}
