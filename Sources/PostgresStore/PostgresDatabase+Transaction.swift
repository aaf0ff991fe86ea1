import CLibPQ
import Storage

extension PostgresDatabase {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// The outermost transaction is a plain `BEGIN` (`READ COMMITTED`, the server's default; `kind`
    /// makes no difference: PostgreSQL locks rows as it writes them). Inside an open transaction
    /// this nests as a `SAVEPOINT`, so an inner failure undoes only the inner work.
    /// - Throws: The error `body` threw, after rolling back; or ``PostgresError`` from `BEGIN` or
    ///   `COMMIT`, in which case nothing was committed — including `.conflict` when a statement
    ///   inside failed and `body` went on regardless: PostgreSQL then answers `COMMIT` with a
    ///   rollback, and no error.
    public func transaction<T>(_ kind: TransactionKind, _ body: (PostgresDatabase) throws -> T) throws -> T {
        try transaction(beginning: "BEGIN", body)
    }

    /// Runs `body` in a read-only transaction that sees one snapshot of the database from its
    /// first statement to its end (`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`: "a query in a
    /// repeatable read transaction sees a snapshot as of the start of the first non-transaction-
    /// control statement in the transaction").
    ///
    /// Its `COMMIT` is sent without waiting for the answer (``commitWithoutWaiting()``): what was
    /// read stands whatever the answer, and a read-only transaction has nothing to lose.
    /// - Throws: What `body` throws, or ``PostgresError`` (`.readOnly` for a write).
    public func readSnapshot<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        try transaction(beginning: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", waitingForCommit: false, body)
    }

    /// Runs `body` in a transaction opened by `begin` (a constant), or in a savepoint when one is
    /// open already.
    ///
    /// `BEGIN` is sent with the transaction's first statement (``pendingBegin``), saving it a round
    /// trip; a transaction that ran no statement sends neither `BEGIN` nor `COMMIT`.
    /// - Parameter waitingForCommit: Whether to wait for `COMMIT`'s answer: `false` only for a
    ///   read-only transaction.
    func transaction<T>(
        beginning begin: String, waitingForCommit: Bool = true, _ body: (PostgresDatabase) throws -> T
    ) throws -> T {
        if isInTransaction {
            return try savepoint(body)
        }
        pendingBegin = begin
        let result: T
        do {
            result = try body(self)
        } catch {
            rollback()
            throw error
        }
        if pendingBegin != nil {
            pendingBegin = nil
        } else if waitingForCommit {
            try commit()
        } else {
            commitWithoutWaiting()
        }
        return result
    }

    /// Commits, and checks that it did: PostgreSQL answers `COMMIT` in an aborted transaction (a
    /// statement in it failed) by rolling back, with no error, only the command tag `ROLLBACK`.
    private func commit() throws {
        let connection = try liveConnection("COMMIT")
        let result: OpaquePointer
        do {
            result = try checked(PQexec(connection, "COMMIT"), sql: "COMMIT", accepting: PGRES_COMMAND_OK)
        } catch {
            // A deferred constraint or a serialization failure at commit ends the transaction; a
            // lost connection leaves nothing to roll back.
            rollback()
            throw error
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) }
        PQclear(result)
        guard tag == "COMMIT", PQtransactionStatus(connection) == PQTRANS_IDLE else {
            rollback()
            throw PostgresError(
                kind: .conflict,
                message: "the transaction was rolled back instead of committed: a statement in it had failed",
                sql: "COMMIT")
        }
    }

    private func savepoint<T>(_ body: (PostgresDatabase) throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        // The name is made of an integer, never of input.
        let name = "bilateral_savepoint_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        let result: T
        do {
            result = try body(self)
        } catch {
            // "ROLLBACK TO" also clears a failed statement's abort of the transaction, and keeps the
            // savepoint; RELEASE pops it. Either fails only when the connection is gone, which the
            // outer transaction reports.
            try? execute("ROLLBACK TO SAVEPOINT \(name)")
            try? execute("RELEASE SAVEPOINT \(name)")
            throw error
        }
        try execute("RELEASE SAVEPOINT \(name)")
        return result
    }

    /// Rolls back the open transaction, if any; the caller rethrows the error that matters.
    func rollback() {
        settle()
        if pendingBegin != nil {
            pendingBegin = nil
            return
        }
        guard !isBroken, let connection, PQtransactionStatus(connection) != PQTRANS_IDLE else { return }
        PQclear(PQexec(connection, "ROLLBACK"))
    }

    /// `SET CONSTRAINTS ALL DEFERRED`: this transaction checks its foreign keys at its commit. Only
    /// constraints declared `DEFERRABLE` can be deferred; the schema's foreign keys must be.
    public func deferForeignKeys() throws {
        try execute("SET CONSTRAINTS ALL DEFERRED")
    }

    /// `SET LOCAL statement_timeout = 0` ("no timeout"), until this transaction ends; the lock
    /// timeout stays, so a bulk write still cannot wait for ever on another's lock.
    public func allowLongStatements() throws {
        try execute("SET LOCAL statement_timeout = 0")
    }
}
