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
    /// On a streaming connection (one ``PostgresPool/snapshotRead(_:)`` opened) the rows arrive
    /// through a server-side cursor, ``streamBatchSize`` at a time, so a result of any size never
    /// sits in memory, and `body` may still run other queries on this connection (an export looks
    /// up names as it goes). Elsewhere the whole result is fetched first, which costs fewer round
    /// trips for the pages the API reads.
    /// - Throws: What `body` throws (the cursor is closed), or ``PostgresError``.
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

    /// How many rows a streaming ``forEachRow(_:_:_:)`` fetches at once.
    static let streamBatchSize = 256

    /// Streams a query's rows through `DECLARE ... CURSOR` and `FETCH`, in the transaction the
    /// rows must come from (one is opened when none is). Unlike libpq's single-row mode, which
    /// holds the connection until the last row (and whose next query would silently discard the
    /// rows not yet read), a cursor leaves the connection free between fetches.
    private func stream(_ sql: String, _ arguments: [SQLValue], _ body: (PostgresRow) throws -> Void) throws {
        guard isInTransaction else {
            return try transaction(.deferred) { try $0.stream(sql, arguments, body) }
        }
        streamDepth += 1
        defer { streamDepth -= 1 }
        // A name per depth: a body may stream another query meanwhile.
        let name = "bilateral_stream_\(streamDepth)"
        PQclear(try runUnprepared("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", arguments))
        defer { try? execute("CLOSE \(name)") }
        let fetch = "FETCH FORWARD \(Self.streamBatchSize) FROM \(name)"
        while true {
            let result = try runUnprepared(fetch, [])
            defer { PQclear(result) }
            let count = PQntuples(result)
            for row in 0..<count {
                try body(PostgresRow(result: result, row: row, sql: sql))
            }
            if count < Self.streamBatchSize { return }
        }
    }

    /// Runs `sql` with `arguments` as an unnamed statement (`PQexecParams`): for statements the
    /// server does not prepare, such as `DECLARE` and `FETCH`. The caller clears the result.
    private func runUnprepared(_ sql: String, _ arguments: [SQLValue]) throws -> OpaquePointer {
        let (text, count) = Placeholders.numbered(sql)
        let statement = PreparedStatement(name: "", parameterCount: count)
        let parameters = try Self.parameters(arguments, for: statement, sql: sql)
        let connection = try liveConnection(sql)
        let result = parameters.withValues { values in
            PQexecParams(connection, text, Int32(values.count), nil, values, nil, nil, 0)
        }
        return try checked(result, sql: sql, accepting: PGRES_COMMAND_OK, PGRES_TUPLES_OK)
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
