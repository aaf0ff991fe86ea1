import SQLiteStore

/// Checks that referenced records exist, one query per table, and records each missing one
/// at its JSON path.
enum References {
    /// - Parameters:
    ///   - ids: the referenced ids with the path of the field that holds each.
    ///   - table: one of our tables (a constant, never input).
    static func check(
        _ ids: [(id: String, field: String)], in table: String, named singular: String, db: Database,
        errors: inout FieldErrors
    ) throws {
        guard !ids.isEmpty else { return }
        let unique = Array(Set(ids.map(\.id)))
        let marks = Array(repeating: "?", count: unique.count).joined(separator: ",")
        let found = Set(
            try db.query("SELECT id FROM \(table) WHERE id IN (\(marks))", unique.map(SQLiteValue.text)) {
                try $0.string(0)
            })
        for reference in ids where !found.contains(reference.id) {
            errors.add(reference.field, "no \(singular) has the id '\(reference.id)'")
        }
    }
}
