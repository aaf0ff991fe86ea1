import Storage

/// The SQLite schema: migrations 1–14 in SQLite's SQL, and the FTS5 queue flushed before each
/// commit.
extension Schema {
    /// The SQLite schema.
    public static let sqlite = MigrationPlan(
        [
            Migration(version: 1, name: "countries", apply: createCountries),
            Migration(version: 2, name: "api_keys", apply: createAPIKeys),
            Migration(version: 3, name: "settings", apply: createSettings),
            RecordSchema.migration,
            TextSearchSchema.migration,
            RelationSchema.migration,
            TextSearchQueue.migration,
            RelationSchema.payloadMigration,
            RelationSchema.listCopiesMigration,
            RecordSchema.checksMigration,
            TextSearchMerging.migration,
            RecordSchema.linkOwnerMigration,
            RateLimitSchema.migration,
            ChangeSchema.migration,
            TextSearchFolding.migration,
        ], beforeEachCommit: TextSearchQueue.flush)

    static func createCountries(_ db: any Database) throws {
        try db.execute(
            """
            CREATE TABLE countries (
                code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 2 AND code = upper(code)),
                alpha3 TEXT NOT NULL UNIQUE,
                numeric TEXT NOT NULL,
                name TEXT NOT NULL,
                official_name TEXT,
                region TEXT,
                subregion TEXT,
                is_independent TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX countries_region ON countries(region COLLATE NOCASE, code);
            """)
        try insertCountries(db)
    }

    /// Fills `countries` from the bundled ISO 3166-1 catalog (both backends' migration 1).
    static func insertCountries(_ db: any Database) throws {
        for entry in try CountryCatalog.load() {
            let c = entry.country
            try db.execute(
                """
                INSERT INTO countries (code, alpha3, numeric, name, official_name, region, subregion, is_independent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(c.code), .text(c.alpha3), .text(c.numeric), .text(c.name), c.officialName.sqlValue,
                    c.region.sqlValue, c.subregion.sqlValue, .text(entry.isIndependent),
                ])
        }
    }

    static func createAPIKeys(_ db: any Database) throws {
        // Only the SHA-256 of a token is stored: a copy of the database grants no access.
        try db.execute(
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
                token_hash TEXT NOT NULL UNIQUE,
                token_prefix TEXT NOT NULL,
                created_at TEXT NOT NULL,
                revoked_at TEXT
            );
            """)
    }

    static func createSettings(_ db: any Database) throws {
        try db.execute(
            """
            CREATE TABLE settings (
                name TEXT PRIMARY KEY NOT NULL,
                value BLOB NOT NULL
            ) WITHOUT ROWID;
            """)
        try insertCursorSecret(db)
    }

    /// Stores a new random 32-byte `cursor_secret` in `settings` (both backends' migration 3).
    static func insertCursorSecret(_ db: any Database) throws {
        var secret = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &secret) }
        try db.execute("INSERT INTO settings (name, value) VALUES ('cursor_secret', ?)", [.blob(bytes)])
    }
}
