import HTTPCore
import Storage

/// Creates, lists, revokes and looks up API keys.
public struct APIKeyRepository: Sendable {
    public init() {}

    /// A new key: the token is returned once and only its digest is stored.
    public func create(name: String, scope: KeyScope, in db: any Database) throws -> (key: APIKey, token: String) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "bil_" + Base64URL.encode(secret)
        let idBytes = (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = APIKey(
            id: "key_" + idBytes.hexString, name: name, scope: scope, tokenPrefix: String(token.prefix(10)),
            createdAt: WallClock.nowRFC3339(), revokedAt: nil)
        try db.execute(
            """
            INSERT INTO api_keys (id, name, scope, token_hash, token_prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(key.id), .text(key.name), .text(scope.rawValue), .text(Self.digest(token)),
                .text(key.tokenPrefix),
                .text(key.createdAt),
            ])
        return (key, token)
    }

    public func list(in db: any Database) throws -> [APIKey] {
        try db.query(
            "SELECT id, name, scope, token_prefix, created_at, revoked_at FROM api_keys ORDER BY created_at, id", [],
            row: Self.key)
    }

    /// Revokes `id`; false when there is no such key. Revoking twice keeps the first time.
    public func revoke(id: String, in db: any Database) throws -> Bool {
        guard try db.queryOne("SELECT 1 FROM api_keys WHERE id = ?", [.text(id)], row: { _ in true }) != nil else {
            return false
        }
        try db.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [.text(WallClock.nowRFC3339()), .text(id)])
        return true
    }

    /// The live key whose token is `token`, or nil.
    public func find(token: String, in db: any Database) throws -> APIKey? {
        try db.queryOne(
            """
            SELECT id, name, scope, token_prefix, created_at, revoked_at FROM api_keys
            WHERE token_hash = ? AND revoked_at IS NULL
            """, [.text(Self.digest(token))], row: Self.key)
    }

    public func hasLiveKeys(in db: any Database) throws -> Bool {
        try db.queryOne("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1", [], row: { _ in true }) ?? false
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(Array(token.utf8)).hexString
    }

    private static func key(_ row: Row) throws -> APIKey {
        APIKey(
            id: try row.string(0), name: try row.string(1), scope: KeyScope(rawValue: try row.string(2)) ?? .read,
            tokenPrefix: try row.string(3), createdAt: try row.string(4), revokedAt: row.optionalString(5))
    }
}
