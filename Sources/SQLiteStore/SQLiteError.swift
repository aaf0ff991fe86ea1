import CSQLite
import Storage

/// An error reported by SQLite: its extended result code, its message and the SQL that failed.
///
/// Bound values are never part of the error: they may be personal data or secrets, and errors end up
/// in logs. Only the SQL text, which is always a constant of the program, is kept.
///
/// ```swift
/// do { try db.execute("INSERT INTO actors(slug) VALUES (?)", slug) }
/// catch let error as SQLiteError where error.isUniqueConstraint { ... }
/// ```
public struct SQLiteError: DatabaseError {
    /// The extended result code (`sqlite3_extended_errcode`), e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`.
    public let extendedCode: Int32
    /// SQLite's message for this failure (`sqlite3_errmsg`), or this module's own for misuse.
    public let message: String
    /// The SQL statement that failed, when there was one.
    public let sql: String?

    /// Creates an error from its parts.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// Reads the current error of `connection`.
    init(connection: OpaquePointer?, resultCode: Int32, sql: String?) {
        // A result code returned by an API call is authoritative; the connection's message belongs to
        // the most recent failing call on it, which is this one as long as the connection is confined.
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        self.init(
            extendedCode: resultCode,
            message: message ?? sqlite3_errstr(resultCode).map { String(cString: $0) } ?? "unknown error",
            sql: sql
        )
    }

    /// The kind of failure, for code that runs on any store.
    public var kind: DatabaseErrorKind {
        switch extendedCode {
        case ResultCode.constraintUnique, ResultCode.constraintPrimaryKey: return .uniqueViolation
        case ResultCode.constraintForeignKey: return .foreignKeyViolation
        case ResultCode.constraintNotNull: return .notNullViolation
        case ResultCode.constraintCheck: return .checkViolation
        default: break
        }
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_INTERRUPT: return .interrupted
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt
        case SQLITE_READONLY: return .readOnly
        case SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_IOERR: return .unavailable
        case SQLITE_ERROR: return .invalidQuery
        case SQLITE_MISUSE, SQLITE_RANGE, SQLITE_MISMATCH: return .misuse
        default: return .other
        }
    }

    /// The primary result code: the low eight bits of the extended code, e.g. 19 for `SQLITE_CONSTRAINT`.
    public var code: Int32 { extendedCode & 0xFF }

    /// Any constraint violation: `UNIQUE`, `PRIMARY KEY`, `FOREIGN KEY`, `NOT NULL`, `CHECK`...
    public var isConstraint: Bool { code == SQLITE_CONSTRAINT }

    /// A `UNIQUE` or `PRIMARY KEY` constraint violation.
    public var isUniqueConstraint: Bool {
        extendedCode == ResultCode.constraintUnique || extendedCode == ResultCode.constraintPrimaryKey
    }

    /// A `FOREIGN KEY` constraint violation.
    public var isForeignKeyConstraint: Bool { extendedCode == ResultCode.constraintForeignKey }

    /// A `NOT NULL` constraint violation.
    public var isNotNullConstraint: Bool { extendedCode == ResultCode.constraintNotNull }

    /// A `CHECK` constraint violation.
    public var isCheckConstraint: Bool { extendedCode == ResultCode.constraintCheck }

    /// The database was locked by another connection for longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// The operation was interrupted through `sqlite3_interrupt`.
    public var isInterrupt: Bool { code == SQLITE_INTERRUPT }

    /// The database file is damaged or is not a database.
    public var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }

    /// A write was attempted on a read-only connection or database.
    public var isReadOnly: Bool { code == SQLITE_READONLY }

    /// A human-readable account: code, message and SQL; never bound values.
    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql {
            text += " (SQL: `\(sql)`)"
        }
        return text
    }
}

extension SQLiteError {
    /// An error of this module's own making, for API misuse SQLite cannot report itself.
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }
}

/// Extended result codes. SQLite defines them as macros of the form `(SQLITE_CONSTRAINT | (8<<8))`,
/// which Swift does not import, so the values are spelled out here (sqlite3.h, "Extended Result Codes").
enum ResultCode {
    static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (1 << 8)
    static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)
    static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | (5 << 8)
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
}
