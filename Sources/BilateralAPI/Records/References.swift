import Storage

/// Checks that referenced records exist, one key lookup per distinct id, and records each
/// missing one at its JSON path.
enum References {
    /// - Parameters:
    ///   - ids: the referenced ids with the path of the field that holds each.
    ///   - table: one of our tables (a constant, never input).
    static func check(
        _ ids: [(id: String, field: String)], in table: String, named singular: String, db: any Database,
        errors: inout FieldErrors
    ) throws {
        guard !ids.isEmpty else { return }
        // One cached statement probed per id: an `IN (?, ?, …)` list is a statement per list
        // length, and SQLite builds a temporary index of its values on every run.
        let sql = "SELECT 1 FROM \(table) WHERE id = ?"
        var missing: [String] = []
        for (index, reference) in ids.enumerated() {
            if ids[..<index].contains(where: { $0.id == reference.id }) { continue }
            if try db.queryOne(sql, [.text(reference.id)], row: { _ in true }) == nil {
                missing.append(reference.id)
            }
        }
        for reference in ids where missing.contains(reference.id) {
            errors.add(reference.field, "no \(singular) has the id '\(reference.id)'")
        }
    }
}
