import CSQLite

/// How an outermost transaction takes its locks.
public enum TransactionKind: Sendable {
    /// `BEGIN DEFERRED`: no lock until the first read or write. A read transaction sees one snapshot
    /// from its first read on.
    case deferred
    /// `BEGIN IMMEDIATE`: takes the write lock at once, so the transaction cannot fail with
    /// `SQLITE_BUSY` halfway through when another connection writes.
    case immediate
    /// `BEGIN EXCLUSIVE`: in WAL mode, the same as `immediate`.
    case exclusive
}

extension Database {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Inside an open transaction this nests as a `SAVEPOINT`, so an inner failure undoes only the
    /// inner work (and `kind` is ignored: the outer transaction already holds its locks).
    /// - Throws: The error `body` threw, after rolling back; or ``SQLiteError`` from `BEGIN` or
    ///   `COMMIT`, in which case nothing was committed.
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: (Database) throws -> T) throws -> T {
        if isInTransaction {
            return try savepoint(body)
        }
        switch kind {
        case .deferred: try cachedStatement("BEGIN DEFERRED").execute()
        case .immediate: try cachedStatement("BEGIN IMMEDIATE").execute()
        case .exclusive: try cachedStatement("BEGIN EXCLUSIVE").execute()
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

    private func savepoint<T>(_ body: (Database) throws -> T) throws -> T {
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
}
