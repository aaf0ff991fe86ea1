import HTTPCore
import Storage

/// POST retries (SPEC: the same `Idempotency-Key` with the same body replays the first
/// response; with another body it is a 422). Keys are scoped to the collection path and kept
/// 24 hours; lookups and the remembered answer share the write transaction of the creation, so
/// two retries racing each other cannot both create.
struct IdempotencyKey: Sendable {
    let key: String
    let path: String
    let bodyHash: String

    static let lifetimeSeconds = 24 * 3600

    /// The key of `request`, if it sent one.
    /// - Throws: 400 when the header is not 1–255 visible ASCII characters.
    static func of(_ request: Request) throws -> IdempotencyKey? {
        guard let key = request.headers["Idempotency-Key"] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw APIError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters.")
        }
        return IdempotencyKey(key: key, path: request.path, bodyHash: SHA256.hash(request.body).hexString)
    }

    /// The remembered answer for this key, if any.
    /// - Throws: 422 when the key was used with a different body.
    func replay(in db: any Database) throws -> (status: Int, location: String?, representation: [UInt8])? {
        guard
            let row = try db.queryOne(
                "SELECT body_hash, status, location, body FROM idempotency_keys WHERE key = ? AND path = ? AND created_at >= ?",
                [.text(key), .text(path), .text(Self.oldestKept())],
                row: {
                    (
                        hash: try $0.string(0), status: try $0.int(1), location: $0.optionalString(2),
                        body: try $0.blob(3)
                    )
                })
        else { return nil }
        guard row.hash == bodyHash else {
            throw APIError.validation([
                .init(
                    field: "Idempotency-Key",
                    message: "was used before with a different body; use a new key for a new request")
            ])
        }
        return (row.status, row.location, row.body)
    }

    /// Takes the key for this write, first thing in its transaction: a row without an answer
    /// yet, which ``remember(status:location:representation:in:)`` completes. When another
    /// write holds the key (through another node, not committed yet), the insert waits for it to
    /// end, so the two never run their checks side by side; when that write took it, the claim
    /// fails and the caller replays its answer.
    /// - Returns: Whether this write holds the key now.
    func claim(in db: any Database) throws -> Bool {
        try db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", [.text(Self.oldestKept())])
        try db.execute(
            """
            INSERT INTO idempotency_keys (key, path, body_hash, status, location, etag, body, created_at)
            VALUES (?, ?, ?, 0, NULL, NULL, ?, ?) ON CONFLICT DO NOTHING
            """, [.text(key), .text(path), .text(bodyHash), .blob([]), .text(WallClock.nowRFC3339())])
        return db.changes == 1
    }

    /// Stores the answer in the row ``claim(in:)`` inserted.
    func remember(status: Int, location: String?, representation: [UInt8], in db: any Database) throws {
        try db.execute(
            "UPDATE idempotency_keys SET status = ?, location = ?, etag = ?, body = ? WHERE key = ? AND path = ?",
            [
                .integer(Int64(status)), location.sqlValue, .text(ETag.of(representation)), .blob(representation),
                .text(key), .text(path),
            ])
    }

    private static func oldestKept() -> String {
        let seconds = Int(WallTime.milliseconds() / 1000) - lifetimeSeconds
        return WallClock.rfc3339(secondsSinceEpoch: seconds, nanoseconds: 0)
    }
}
