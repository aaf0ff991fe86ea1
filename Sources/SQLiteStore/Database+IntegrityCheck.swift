extension Database {
    /// Runs `PRAGMA integrity_check`: `["ok"]` when the database is sound, otherwise one line per
    /// problem found (at most 100, SQLite's default).
    public func integrityCheck() throws -> [String] {
        try query("PRAGMA integrity_check") { try $0.string(0) }
    }
}
