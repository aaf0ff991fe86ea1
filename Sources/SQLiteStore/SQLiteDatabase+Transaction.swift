import CSQLite
import Storage

extension SQLiteDatabase {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Inside an open transaction this nests as a `SAVEPOINT`, so an inner failure undoes only the
    /// inner work (and `kind` is ignored: the outer transaction already holds its locks).
    /// - Throws: The error `body` threw, after rolling back; or ``SQLiteError`` from `BEGIN` or
    ///   `COMMIT`, in which case nothing was committed.
    public func transaction<T>(_ kind: TransactionKind, _ body: (SQLiteDatabase) throws -> T) throws -> T {
        if isInTransaction {
            return try savepoint(body)
        }
        switch kind {
        case .deferred: try cachedStatement("BEGIN DEFERRED").execute()
        case .immediate: try cachedStatement("BEGIN IMMEDIATE").execute()
        }
        let result: T
        do {
            result = try body(self)
        } catch {
            rollback()
            throw error
        }
        // If SQLite rolled the transaction back by itself (SQLITE_FULL, SQLITE_IOERR, some BUSY
        // cases) and `body` swallowed that error, committing now would report a lost write as saved.
        guard isInTransaction else {
            throw SQLiteError(
                extendedCode: SQLITE_ABORT,
                message: "the transaction was rolled back before it could commit",
                sql: "COMMIT"
            )
        }
        do {
            try cachedStatement("COMMIT").execute()
        } catch {
            rollback()
            throw error
        }
        return result
    }

    private func savepoint<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        // The name is made of an integer, never of input.
        let name = "bilateral_savepoint_\(savepointDepth)"
        // Through the statement cache: a group of writes opens a savepoint for each.
        try cachedStatement("SAVEPOINT \(name)").execute()
        let result: T
        do {
            result = try body(self)
        } catch {
            // "ROLLBACK TO" rewinds but leaves the savepoint on the stack; RELEASE pops it.
            // Either may fail only if SQLite already rolled back the whole transaction, in which
            // case the outer transaction will report it.
            try? cachedStatement("ROLLBACK TO \(name)").execute()
            try? cachedStatement("RELEASE \(name)").execute()
            throw error
        }
        try cachedStatement("RELEASE \(name)").execute()
        return result
    }

    private func rollback() {
        // Fails only when SQLite has already rolled back ("cannot rollback - no transaction is
        // active"); the caller rethrows the error that matters.
        if isInTransaction {
            try? cachedStatement("ROLLBACK").execute()
        }
    }

    /// `PRAGMA defer_foreign_keys = ON`: this transaction checks its foreign keys at its commit.
    public func deferForeignKeys() throws {
        try execute("PRAGMA defer_foreign_keys = ON")
    }

    /// Nothing to lift: SQLite limits no statement's time (its busy timeout is a wait for locks).
    public func allowLongStatements() throws {}
}
