import Storage

/// Migration 10: the CHECK constraints that name one of several values compare with each value
/// in turn instead of using an `IN` list.
///
/// SQLite evaluates `x IN (...)` with more than two constants by building a temporary b-tree of
/// the list, and a CHECK constraint builds it again for every row written: two for a meeting, one
/// per participant, topic, statement and status change. That was 130,000 instructions of a meeting
/// POST's 500,000 in SQLite (measured with callgrind on SQLite 3.40); `x = 'a' OR x = 'b' ...` is
/// a few comparisons. The constraints accept and reject exactly the same values.
extension RecordSchema {
    static let checksMigration = Migration(version: 10, name: "checks_without_temporary_tables", apply: rewriteChecks)

    /// The columns whose CHECK is `oneOf` a list of more than two values, and their values.
    private static let checkedLists: [(column: String, values: [String])] = [
        ("date_precision", precisions), ("kind", kinds), ("role", roles), ("topic", areas), ("channel", channels),
        ("area", areas), ("status", statuses),
    ]

    /// `column = 'a' OR column = 'b' ...`: the constraint of `oneOf`, without a temporary b-tree.
    static func anyOf(_ column: String, _ values: [String]) -> String {
        values.map { "\(column) = '\($0)'" }.joined(separator: " OR ")
    }

    /// Rewrites the CHECK constraints in the stored table definitions.
    ///
    /// A table's constraints cannot be altered in place, and rebuilding the tables would copy every
    /// row. SQLite documents a procedure for changes that leave the stored rows valid as they are
    /// ("removing CHECK or FOREIGN KEY or NOT NULL constraints"): in a transaction, edit the
    /// definition in `sqlite_schema` under `PRAGMA writable_schema`, then increment
    /// `schema_version` so that every connection reads the schema again
    /// (https://www.sqlite.org/lang_altertable.html#otheralter). Every stored row satisfies the new
    /// constraint, which is the old one. A definition SQLite cannot parse would make the database
    /// unreadable: the new schema is read back before the migration's transaction commits, and a
    /// failure rolls the edit back.
    static func rewriteChecks(_ db: any Database) throws {
        let tables = try db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL", []) {
            (try $0.string(0), try $0.string(1))
        }
        var rewritten: [(name: String, sql: String)] = []
        for (name, sql) in tables {
            var new = sql
            for (column, values) in checkedLists {
                new = new.replacing("CHECK (\(oneOf(column, values)))", with: "CHECK (\(anyOf(column, values)))")
            }
            if new != sql { rewritten.append((name, new)) }
        }
        guard !rewritten.isEmpty else { return }
        // One row, always.
        let version = try db.query("PRAGMA schema_version", []) { try $0.int(0) }.first ?? 0
        try db.execute("PRAGMA writable_schema = ON")
        do {
            for (name, sql) in rewritten {
                try db.execute(
                    "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", [.text(sql), .text(name)])
            }
            try db.execute("PRAGMA schema_version = \(version + 1)")
        } catch {
            try? db.execute("PRAGMA writable_schema = OFF")
            throw error
        }
        try db.execute("PRAGMA writable_schema = OFF")
        // Reads the edited schema now, inside the transaction: a definition that does not parse
        // fails here, and the migration rolls back.
        for (name, _) in rewritten {
            _ = try db.scalar("SELECT count(*) FROM (SELECT 1 FROM \"\(name)\" LIMIT 0)", [])
        }
    }
}
