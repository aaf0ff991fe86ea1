import CLibPQ
import Storage

/// An error reported by PostgreSQL or libpq: the SQLSTATE, the primary message and the SQL that
/// failed.
///
/// Bound values are never part of the error: they may be personal data or secrets, and errors end
/// up in logs. Only the SQL text, a constant of the program, is kept; and never the connection URI,
/// which may hold a password.
///
/// ```swift
/// catch let error as PostgresError where error.kind == .uniqueViolation { ... }
/// ```
public struct PostgresError: DatabaseError {
    /// The kind of failure, for code that runs on any store.
    public let kind: DatabaseErrorKind
    /// The five-character SQLSTATE (`23505`), or `nil` for a failure libpq reports itself (a lost
    /// connection) or this module's own.
    public let sqlstate: String?
    /// The server's primary message (`PG_DIAG_MESSAGE_PRIMARY`), libpq's, or this module's.
    public let message: String
    /// The SQL statement that failed, when there was one.
    public let sql: String?

    /// Creates an error from its parts.
    public init(kind: DatabaseErrorKind, sqlstate: String? = nil, message: String, sql: String? = nil) {
        self.kind = kind
        self.sqlstate = sqlstate
        self.message = message
        self.sql = sql
    }

    /// The error of a failed `result` (which the caller still owns and clears), or of `connection`
    /// when libpq returned no result at all.
    init(result: OpaquePointer?, connection: OpaquePointer?, sql: String?) {
        if let result, let state = bilateral_pq_sqlstate(result) {
            let sqlstate = String(cString: state)
            let primary = bilateral_pq_primary_message(result).map { String(cString: $0) }
            let message = primary ?? Self.firstLine(PQresultErrorMessage(result))
            self.init(
                kind: Self.kind(sqlstate: sqlstate), sqlstate: sqlstate,
                message: Self.withholdingValues(message, sqlstate: sqlstate), sql: sql)
            return
        }
        // No SQLSTATE: libpq's own failure ("server closed the connection unexpectedly", "no
        // connection to the server"). Only a connection that is gone makes it transient.
        let message = result.map { Self.firstLine(PQresultErrorMessage($0)) } ?? ""
        let isBad = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
        self.init(
            kind: isBad ? .unavailable : .other, sqlstate: nil,
            message: message.isEmpty ? Self.firstLine(connection.flatMap { PQerrorMessage($0) }) : message,
            sql: sql)
    }

    /// The kind of failure a SQLSTATE names (PostgreSQL, "Appendix A. PostgreSQL Error Codes").
    public static func kind(sqlstate: String) -> DatabaseErrorKind {
        switch sqlstate {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "23502": return .notNullViolation
        case "23514": return .checkViolation
        case "40001", "40P01": return .conflict
        case "55P03": return .busy
        case "57014": return .interrupted
        case "57P01", "57P02", "57P03": return .unavailable
        case "25006": return .readOnly
        case "XX001", "XX002": return .corrupt
        default: break
        }
        switch sqlstate.prefix(2) {
        case "08": return .unavailable
        case "42", "22": return .invalidQuery
        default: return .other
        }
    }

    /// A serialization failure (`40001`) or a deadlock (`40P01`): the server rolled the
    /// transaction back, and running it again may succeed.
    public var isSerializationFailure: Bool { sqlstate == "40001" || sqlstate == "40P01" }

    /// A human-readable account: SQLSTATE, message and SQL; never bound values.
    public var description: String {
        var text = "PostgreSQL error"
        if let sqlstate {
            text += " \(sqlstate)"
        }
        text += " (\(kind)): \(message)"
        if let sql {
            text += " (SQL: `\(sql)`)"
        }
        return text
    }

    /// An error of this module's own making, for misuse libpq cannot report itself.
    static func misuse(_ message: String, sql: String? = nil) -> PostgresError {
        PostgresError(kind: .misuse, message: message, sql: sql)
    }

    /// `message` without the value it quotes. A data exception (class 22) names the input it
    /// rejected in its primary message (`invalid input syntax for type bigint: "…"`), and that
    /// input may be a bound value; constraint violations keep theirs in the detail, never read.
    static func withholdingValues(_ message: String, sqlstate: String) -> String {
        guard sqlstate.hasPrefix("22"), let quote = message.firstRange(of: ": \"") else { return message }
        return message[..<quote.lowerBound] + ": (value withheld)"
    }

    /// The first line of a libpq message, which ends with a newline and may continue with
    /// `DETAIL:` lines that can quote data.
    private static func firstLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        let line = String(cString: text).split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.isEmpty ? "unknown error" : line
    }
}
