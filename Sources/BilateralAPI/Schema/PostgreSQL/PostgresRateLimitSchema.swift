import Storage

/// Migration 13: the rate-limit buckets every node counts together (`SharedRateLimits`), as on
/// SQLite (`RateLimitSchema`).
enum PostgresRateLimitSchema {
    static let migration = Migration(version: 13, name: "rate_limit_buckets") { db in
        try db.execute(
            """
            CREATE TABLE rate_limit_buckets (
                bucket TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                full_at BIGINT NOT NULL
            );
            """)
    }
}
