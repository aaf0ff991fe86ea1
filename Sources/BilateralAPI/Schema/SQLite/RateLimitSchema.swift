import Storage

/// Migration 13: the rate-limit buckets every node counts together (`SharedRateLimits`), one row
/// per key or address and class, holding the instant the bucket is full again.
enum RateLimitSchema {
    static let migration = Migration(version: 13, name: "rate_limit_buckets") { db in
        try db.execute(
            """
            CREATE TABLE rate_limit_buckets (
                bucket TEXT PRIMARY KEY NOT NULL,
                full_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
    }
}
