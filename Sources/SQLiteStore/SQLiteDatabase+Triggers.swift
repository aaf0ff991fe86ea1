import Storage

/// Suspending triggers for set-based work that does what they do, row by row, for many rows at once.
extension SQLiteDatabase {
    /// Runs `body` without the triggers on `tables`: drops them, then creates them again from the
    /// SQL the schema holds. It must run inside a transaction, which then holds both, so no other
    /// connection ever sees a table without its triggers; if `body` throws, the transaction must
    /// be rolled back, which brings them back too.
    /// - Throws: What `body` throws, or ``SQLiteError``.
    public func withoutTriggers<T>(on tables: [String], _ body: () throws -> T) throws -> T {
        precondition(isInTransaction, "withoutTriggers must run inside a transaction")
        let placeholders = tables.map { _ in "?" }.joined(separator: ", ")
        let triggers = try query(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN (\(placeholders)) ORDER BY rowid",
            tables.map(SQLValue.text)
        ) { (name: try $0.string(0), sql: try $0.string(1)) }
        for trigger in triggers {
            // A name read from the schema, quoted as an identifier.
            let quoted = trigger.name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
            try execute("DROP TRIGGER \"\(quoted)\"")
        }
        let result = try body()
        for trigger in triggers {
            try execute(trigger.sql)
        }
        return result
    }
}
