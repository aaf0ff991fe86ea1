import Foundation
import HTTPCore

/// Opaque, signed paging cursors. A cursor carries the sort key of the last record returned;
/// its HMAC covers the key and the query it belongs to, so an edited, truncated or borrowed
/// cursor is a 400, never a page of some other list.
public struct CursorCodec: Sendable {
    private let secret: [UInt8]

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// - Parameters:
    ///   - key: the sort key of the last record on the page (e.g. date and id).
    ///   - scope: what the cursor is valid for: the endpoint and its filters.
    public func encode(_ key: [String], scope: String) -> String {
        let payload = (try? JSONSerialization.data(withJSONObject: key)).map { Array($0) } ?? []
        let signature = Array(SHA256.hmac(key: secret, message: Array(scope.utf8) + [0] + payload).prefix(12))
        return Base64URL.encode(payload) + "." + Base64URL.encode(signature)
    }

    /// The sort key, checked against its signature and `scope`.
    /// - Throws: 400 naming `cursor` when it is malformed, tampered with, or from another query.
    public func decode(_ cursor: String, scope: String, count: Int) throws -> [String] {
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])),
            let signature = Base64URL.decode(String(parts[1])), signature.count == 12
        else { throw APIError.invalidParameter("cursor", "is not a cursor this server issued") }
        let expected = Array(SHA256.hmac(key: secret, message: Array(scope.utf8) + [0] + payload).prefix(12))
        // Compare every byte so timing reveals nothing about where a forgery goes wrong.
        guard zip(expected, signature).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw APIError.invalidParameter("cursor", "was altered or belongs to a different query")
        }
        guard let key = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String], key.count == count else {
            throw APIError.invalidParameter("cursor", "is not a cursor this server issued")
        }
        return key
    }
}
