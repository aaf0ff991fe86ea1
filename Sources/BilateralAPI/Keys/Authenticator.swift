import HTTPCore
import Storage

/// Bearer-token authentication (RFC 6750) against the stored key digests.
public struct Authenticator: Sendable {
    private let store: any DatabaseStore
    private let keys = APIKeyRepository()

    public init(store: any DatabaseStore) {
        self.store = store
    }

    /// The admission rule of a route that needs a `scope` key and reads a body of `mediaTypes`:
    /// both are checked before the body is read, in the order the handler checks them, so a
    /// request without a valid key (or with a body it cannot read) costs its head and no more.
    public func admission(_ scope: KeyScope, mediaTypes: [String]? = nil, advice: String? = nil) -> AdmissionRule {
        { request in
            .check {
                do {
                    try require(scope, for: request)
                    if let mediaTypes {
                        try RequestBody.requireMediaType(in: request.headers, accepted: mediaTypes, advice: advice)
                    }
                    return nil
                } catch let error as HTTPError {
                    return error
                } catch {
                    // The database could not be asked: the handler asks again and answers for it.
                    return nil
                }
            }
        }
    }

    /// The key that authorises `request` for `scope`.
    /// - Throws: 401 with `WWW-Authenticate` when the token is missing or unknown (with how to
    ///   create a key when none exists), 403 when the key's scope is too narrow.
    @discardableResult
    public func require(_ scope: KeyScope, for request: Request) throws -> APIKey {
        guard let header = request.headers["Authorization"] else {
            if try !store.read({ try keys.hasLiveKeys(in: $0) }) {
                throw APIError.unauthorized(
                    "This server has no API key yet. Create one with `bilateral keys create --name NAME` and send it as `Authorization: Bearer <token>`."
                )
            }
            throw APIError.unauthorized("This request needs an API key: send `Authorization: Bearer <token>`.")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercasedASCII() == "bearer" else {
            throw APIError.unauthorized(
                "The Authorization header must use the Bearer scheme: `Authorization: Bearer <token>`.",
                invalidToken: true)
        }
        let token = parts[1].trimmingHTTPWhitespace()
        guard !token.isEmpty, token.utf8.count <= 256, let key = try store.read({ try keys.find(token: token, in: $0) })
        else {
            throw APIError.unauthorized("The API key is unknown or revoked.", invalidToken: true)
        }
        guard key.scope.allows(scope) else {
            throw APIError.forbidden(
                "The key '\(key.name)' has the '\(key.scope.rawValue)' scope; this request needs '\(scope.rawValue)'.")
        }
        return key
    }
}
