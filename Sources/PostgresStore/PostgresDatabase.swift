import CLibPQ
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// One PostgreSQL connection (a libpq `PGconn`).
///
/// libpq: "One thread restriction is that no two threads attempt to manipulate the same PGconn
/// object at the same time", so a connection is used by one thread at a time; ``PostgresPool`` is
/// the thread-safe way to share a database. Only ``cancel()`` may be called from another thread.
///
/// Statements are prepared once per distinct SQL (`PQprepare`, named `s1`, `s2`, …) and kept in a
/// bounded cache; arguments go in text format and the server infers their types. A connection that
/// is found broken (lost, or ended by the server) fails its call with `.unavailable` and connects
/// afresh on ``reconnectIfNeeded()``, which the pool calls on every checkout.
public final class PostgresDatabase: Database {
    /// PostgreSQL.
    public var backend: Backend { .postgresql }

    /// The `PGconn`, nil while disconnected.
    private(set) var connection: OpaquePointer?
    /// The connection URI or conninfo string, passed to libpq unchanged. It may hold a password:
    /// it is never printed nor put in an error.
    private let url: String
    /// The settings the connection is opened with.
    public let configuration: PostgresConfiguration
    /// Whether ``close()`` has run.
    public private(set) var isClosed = false
    /// Whether a call found the connection lost; the next ``reconnectIfNeeded()`` connects again.
    var isBroken = false
    /// The `BEGIN` of the open transaction while it is not sent yet: it goes to the server with the
    /// transaction's first statement (see `PostgresDatabase+Pipeline.swift`).
    var pendingBegin: String?
    /// Whether the answer to a `COMMIT` sent without waiting is still to be read (``settle()``).
    var hasUnreadResults = false
    /// Statements prepared on this session, by the SQL callers wrote.
    private var statements: [String: PreparedStatement] = [:]
    private var nextStatementNumber = 1
    /// How many savepoints ``transaction(_:_:)`` has open inside the outermost transaction.
    var savepointDepth = 0
    /// What ``subscript(attachment:)`` keeps, by type.
    private var attachments: [ObjectIdentifier: AnyObject] = [:]
    /// Whether ``forEachRow(_:_:_:)`` streams rows through a cursor rather than buffering the
    /// whole result: set on the connections ``PostgresPool/snapshotRead(_:)`` opens.
    var isStreaming = false
    /// How many streaming ``forEachRow(_:_:_:)`` calls are in progress, nested.
    var streamDepth = 0
    /// Cancels the statement in progress from another thread.
    let cancelToken = CancelToken()

    /// Rows changed by the most recent `INSERT`, `UPDATE`, `DELETE` or `MERGE` on this connection
    /// (`PQcmdTuples`), or copied by the most recent `COPY`.
    public internal(set) var changes = 0

    /// A statement prepared on the server.
    struct PreparedStatement {
        /// Its name on the server.
        let name: String
        /// How many parameters its SQL has.
        let parameterCount: Int
    }

    /// Opens a connection and sets it up.
    /// - Parameters:
    ///   - url: A libpq connection URI (`postgresql://user@host:5432/db?sslmode=require`) or
    ///     conninfo string, passed to libpq unchanged: passwords from the URI, `PGPASSWORD` or
    ///     `~/.pgpass`, and `sslmode`, are libpq's to handle.
    ///   - configuration: Timeouts and the statement cache's size.
    /// - Throws: ``PostgresError`` (`.unavailable`) when the server cannot be reached in time.
    public convenience init(url: String, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        self.init(unconnected: url, configuration: configuration)
        try connect()
    }

    /// A connection that connects on its first ``reconnectIfNeeded()``.
    init(unconnected url: String, configuration: PostgresConfiguration) {
        precondition(PQisthreadsafe() != 0, "libpq was built without thread safety")
        self.url = url
        self.configuration = configuration
    }

    deinit {
        if let connection {
            PQfinish(connection)
        }
    }

    // MARK: Connecting

    /// Connects when the connection is missing or was found broken, dropping the old session and
    /// its prepared statements.
    /// - Throws: ``PostgresError``: `.unavailable` when the server cannot be reached within the
    ///   connect timeout; `.misuse` after ``close()``.
    public func reconnectIfNeeded() throws {
        guard !isClosed else { throw PostgresError.misuse("database connection is closed") }
        if let connection, !isBroken, PQstatus(connection) == CONNECTION_OK {
            return
        }
        disconnect()
        try connect()
    }

    private func connect() throws {
        // "If expand_dbname is non-zero, the value for the first dbname key word is checked to
        // see if it is a connection string"; keywords after it override what it sets, those
        // before it are overridden by it.
        let keywords = ["connect_timeout", "dbname", "client_encoding", "fallback_application_name"]
        let values = [
            String(configuration.connectTimeoutSeconds), url, "UTF8", configuration.applicationName,
        ]
        let connection = Self.withCStrings(keywords) { keywords in
            Self.withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection else {
            throw PostgresError(kind: .unavailable, message: "out of memory allocating a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            // libpq's message names the host and the reason, never the password.
            let error = PostgresError(result: nil, connection: connection, sql: nil)
            PQfinish(connection)
            throw PostgresError(kind: .unavailable, message: error.message)
        }
        bilateral_pq_silence_notices(connection)
        self.connection = connection
        isBroken = false
        do {
            try execute(configuration.sessionSettings)
        } catch {
            disconnect()
            throw error
        }
        cancelToken.replace(with: connection)
    }

    private func disconnect() {
        cancelToken.replace(with: nil)
        if let connection {
            PQfinish(connection)
        }
        connection = nil
        statements.removeAll()
        savepointDepth = 0
        pendingBegin = nil
        hasUnreadResults = false
    }

    /// Closes the connection. Further use throws.
    public func close() {
        guard !isClosed else { return }
        disconnect()
        isClosed = true
    }

    /// Asks the server to cancel the statement running on this connection; the only method that
    /// may be called from another thread (see ``CancelToken``).
    public func cancel() {
        cancelToken.cancel()
    }

    // MARK: Running

    /// The open connection, ready for a command: the answer to a `COMMIT` sent without waiting is
    /// read, and, when `beginning`, a pending `BEGIN` is sent.
    /// - Throws: ``PostgresError`` when it is closed or lost.
    func liveConnection(_ sql: String?, beginning: Bool = true) throws -> OpaquePointer {
        guard !isClosed else { throw PostgresError.misuse("database connection is closed", sql: sql) }
        settle()
        guard let connection, !isBroken else {
            throw PostgresError(kind: .unavailable, message: "the connection to the server was lost", sql: sql)
        }
        if beginning, let begin = pendingBegin {
            pendingBegin = nil
            PQclear(try checked(PQexec(connection, begin), sql: begin, accepting: PGRES_COMMAND_OK))
        }
        return connection
    }

    /// Returns `result` when it reports success, or clears it and throws its error. A lost
    /// connection is remembered, so that the next checkout connects again.
    func checked(_ result: OpaquePointer?, sql: String?, accepting accepted: ExecStatusType...) throws -> OpaquePointer
    {
        if let result, accepted.contains(PQresultStatus(result)) {
            return result
        }
        throw failure(result, sql: sql)
    }

    /// The error of a failed `result`, which it clears.
    func failure(_ result: OpaquePointer?, sql: String?) -> PostgresError {
        let error = PostgresError(result: result, connection: connection, sql: sql)
        PQclear(result)
        noteFailure(error)
        return error
    }

    /// Marks the connection broken when `error` says it is gone.
    func noteFailure(_ error: PostgresError) {
        if error.kind == .unavailable || connection.map({ PQstatus($0) != CONNECTION_OK }) ?? true {
            isBroken = true
        }
    }

    /// Runs SQL of one or more statements without arguments, e.g. a migration's script (`PQexec`,
    /// which stops at the first statement that fails; outside a transaction the statements before
    /// it stay done).
    /// - Throws: ``PostgresError``.
    public func execute(_ sql: String) throws {
        let connection = try liveConnection(sql)
        let result = try checked(PQexec(connection, sql), sql: sql, accepting: PGRES_COMMAND_OK, PGRES_TUPLES_OK)
        noteChanges(result)
        PQclear(result)
    }

    /// Records the row count of a finished command in ``changes``, when it is a write.
    func noteChanges(_ result: OpaquePointer) {
        guard let status = PQcmdStatus(result) else { return }
        let tag = String(cString: status)
        let writes = ["INSERT ", "UPDATE ", "DELETE ", "MERGE ", "COPY "]
        guard writes.contains(where: tag.hasPrefix) else { return }
        changes = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    /// The prepared statement for `sql`, prepared now when this session has not seen it.
    func prepared(_ sql: String) throws -> PreparedStatement {
        if let statement = statements[sql] {
            return statement
        }
        let connection = try liveConnection(sql, beginning: false)
        if statements.count >= max(1, configuration.statementCacheCapacity) {
            // SQL in this program is made of constants, so overflowing means a bug (SQL built
            // from data); emptying keeps memory bounded without the bookkeeping of an LRU.
            try execute("DEALLOCATE ALL")
            statements.removeAll()
        }
        let (text, count) = Placeholders.numbered(sql)
        let name = "s\(nextStatementNumber)"
        PQclear(try checked(PQprepare(connection, name, text, 0, nil), sql: sql, accepting: PGRES_COMMAND_OK))
        nextStatementNumber += 1
        let statement = PreparedStatement(name: name, parameterCount: count)
        statements[sql] = statement
        return statement
    }

    /// Runs a prepared statement to completion and returns its result, which the caller clears.
    func run(_ sql: String, _ arguments: [SQLValue]) throws -> OpaquePointer {
        let statement = try prepared(sql)
        let connection = try liveConnection(sql, beginning: false)
        let parameters = try Self.parameters(arguments, for: statement, sql: sql)
        if let begin = pendingBegin {
            pendingBegin = nil
            return try runAfterBegin(begin, statement, parameters, on: connection, sql: sql)
        }
        let result = parameters.withValues { values in
            PQexecPrepared(connection, statement.name, Int32(values.count), values, nil, nil, 0)
        }
        let checkedResult = try checked(result, sql: sql, accepting: PGRES_COMMAND_OK, PGRES_TUPLES_OK)
        noteChanges(checkedResult)
        return checkedResult
    }

    /// `arguments` encoded, once their number is checked against the statement's parameters.
    static func parameters(_ arguments: [SQLValue], for statement: PreparedStatement, sql: String) throws
        -> ParameterBuffer
    {
        guard arguments.count == statement.parameterCount else {
            throw PostgresError.misuse(
                "\(arguments.count) arguments for \(statement.parameterCount) parameters", sql: sql)
        }
        return try ParameterBuffer(arguments)
    }

    // MARK: State

    /// Whether a transaction is open, including one a failed statement aborted
    /// (`PQtransactionStatus` is `PQTRANS_INTRANS` or `PQTRANS_INERROR`).
    public var isInTransaction: Bool {
        settle()
        if pendingBegin != nil { return true }
        guard let connection else { return false }
        switch PQtransactionStatus(connection) {
        case PQTRANS_INTRANS, PQTRANS_INERROR, PQTRANS_ACTIVE: return true
        default: return false
        }
    }

    /// An object kept with this connection, one per type, for code above that is handed only the
    /// connection: for example work that a long transaction defers to its end.
    public subscript<Value: AnyObject>(attachment type: Value.Type) -> Value? {
        get { attachments[ObjectIdentifier(type)] as? Value }
        set { attachments[ObjectIdentifier(type)] = newValue }
    }

    // MARK: Private

    /// Calls `body` with `strings` as a NULL-terminated array of C strings.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { preconditionFailure("an array with an element has storage") }
            return body(base)
        }
    }
}

@available(
    *, unavailable, message: "a PostgresDatabase is one connection, used by one thread at a time; share a PostgresPool"
)
extension PostgresDatabase: Sendable {}
