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

    /// Stores the answer. A plain insert, never an upsert: if a write through another node
    /// remembered the key since ``replay(in:)`` looked, the unique violation rolls this one back
    /// and `RecordService` runs it again, as a replay.
    func remember(status: Int, location: String?, representation: [UInt8], in db: any Database) throws {
        try db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", [.text(Self.oldestKept())])
        try db.execute(
            """
            INSERT INTO idempotency_keys (key, path, body_hash, status, location, etag, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(key), .text(path), .text(bodyHash), .integer(Int64(status)), location.sqlValue,
                .text(ETag.of(representation)), .blob(representation), .text(WallClock.nowRFC3339()),
            ])
    }

    private static func oldestKept() -> String {
        let seconds = Int(WallTime.milliseconds() / 1000) - lifetimeSeconds
        return WallClock.rfc3339(secondsSinceEpoch: seconds, nanoseconds: 0)
    }
}
