import CLibPQ
import Storage

/// Running one statement with arguments, through the statement cache.
///
/// Arguments are always bound, never formatted into the SQL: SQL text is a constant of the program.
extension PostgresDatabase {
    /// Runs one statement with positional arguments (`?` in the SQL).
    /// - Throws: ``PostgresError``, e.g. of kind `.uniqueViolation`.
    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        PQclear(try run(sql, arguments))
    }

    /// Runs a query and maps its first row, or returns `nil` when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: [SQLValue], row: (PostgresRow) throws -> T) throws -> T? {
        let result = try run(sql, arguments)
        defer { PQclear(result) }
        guard PQntuples(result) > 0 else { return nil }
        return try row(PostgresRow(result: result, row: 0, sql: sql))
    }

    /// Hands the rows of a query to `body` one by one.
    ///
    /// On a streaming connection (one ``PostgresPool/snapshotRead(_:)`` opened) the rows arrive one
    /// at a time in single-row mode, so a result of any size never sits in memory; `body` must not
    /// run other statements on this connection meanwhile (use ``cursor(_:_:)`` for that). Elsewhere
    /// the whole result is fetched first, and `body` may query freely.
    /// - Throws: What `body` throws (the rest of a streamed query is cancelled), or
    ///   ``PostgresError``.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (PostgresRow) throws -> Void) throws {
        if isStreaming {
            return try stream(sql, arguments, body)
        }
        let result = try run(sql, arguments)
        defer { PQclear(result) }
        for row in 0..<PQntuples(result) {
            try body(PostgresRow(result: result, row: row, sql: sql))
        }
    }

    /// Opens a cursor on a query's result, fetched whole, so other queries can run on this
    /// connection while it is open.
    public func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresCursor {
        PostgresCursor(result: ResultHandle(try run(sql, arguments)), sql: sql)
    }

    /// Streams a query's rows in single-row mode: one `PGresult` per row, then a last one of zero
    /// rows or an error. libpq: "PQgetResult must be called repeatedly until it returns a null
    /// pointer, indicating that the command is done", also after an error or a cancellation, or
    /// the connection stays busy.
    ///
    /// Inside a transaction the query runs in a savepoint: when `body` throws, the rest of the
    /// rows are cancelled, and the cancellation's error, which would abort the transaction, is
    /// rolled back with the savepoint.
    private func stream(_ sql: String, _ arguments: [SQLValue], _ body: (PostgresRow) throws -> Void) throws {
        let savepoint = isInTransaction ? "bilateral_stream" : nil
        if let savepoint {
            try execute("SAVEPOINT \(savepoint)")
        }
        var bodyFailed = false
        do {
            try streamRows(sql, arguments) { row in
                do {
                    try body(row)
                } catch {
                    bodyFailed = true
                    throw error
                }
            }
        } catch {
            if let savepoint, bodyFailed {
                try? execute("ROLLBACK TO SAVEPOINT \(savepoint)")
                try? execute("RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        if let savepoint {
            try execute("RELEASE SAVEPOINT \(savepoint)")
        }
    }

    private func streamRows(_ sql: String, _ arguments: [SQLValue], _ body: (PostgresRow) throws -> Void) throws {
        let statement = try prepared(sql)
        let connection = try liveConnection(sql)
        let parameters = try Self.parameters(arguments, for: statement, sql: sql)
        let sent = parameters.withValues { values in
            PQsendQueryPrepared(connection, statement.name, Int32(values.count), values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(nil, sql: sql) }
        var failure: (any Error)?
        if PQsetSingleRowMode(connection) != 1 {
            failure = PostgresError.misuse("single-row mode could not be set", sql: sql)
            cancelToken.cancel()
        }
        while let result = PQgetResult(connection) {
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                if failure == nil {
                    do {
                        try body(PostgresRow(result: result, row: 0, sql: sql))
                    } catch {
                        failure = error
                        // The rows still to come are dropped; cancelling spares the server from
                        // producing them, and the cancellation error that ends them is ignored.
                        cancelToken.cancel()
                    }
                }
                PQclear(result)
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                PQclear(result)
            default:
                let error = self.failure(result, sql: sql)
                if failure == nil {
                    failure = error
                }
            }
        }
        if let failure {
            throw failure
        }
    }
}

/// Owns a `PGresult` and clears it when the last cursor holding it goes.
final class ResultHandle {
    let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }
}

/// A forward-only walk over the rows of a result fetched whole (see
/// ``PostgresDatabase/cursor(_:_:)``).
public struct PostgresCursor: RowCursor {
    let handle: ResultHandle
    let sql: String
    private var index: Int32 = -1

    init(result: ResultHandle, sql: String) {
        self.handle = result
        self.sql = sql
    }

    /// Moves to the next row; `false` once there are no more.
    public mutating func step() throws -> Bool {
        guard index < PQntuples(handle.result) else { return false }
        index += 1
        return index < PQntuples(handle.result)
    }

    /// The current row, valid while the cursor lives.
    public var row: PostgresRow {
        precondition(
            index >= 0 && index < PQntuples(handle.result), "a cursor's row read before step() or after its end")
        return PostgresRow(result: handle.result, row: index, sql: sql)
    }
}

@available(*, unavailable, message: "a PostgresCursor belongs to the thread using its connection")
extension PostgresCursor: Sendable {}
