import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

@Suite("Bearer authentication")
struct AuthenticatorTests {
    static func request(authorization: String?) -> Request {
        var headers = HTTPHeaders()
        if let authorization { headers.add("Authorization", authorization) }
        return Request(method: .post, target: "/v1/things", headers: headers)
    }

    /// The problem `body` throws, or a recorded issue.
    static func problem(_ body: () throws -> Void) -> ProblemDetails? {
        do {
            try body()
            Issue.record("expected an HTTPError")
        } catch let error as HTTPError {
            return error.problem
        } catch {
            Issue.record("unexpected \(error)")
        }
        return nil
    }

    static func create(_ scope: KeyScope, in pool: any DatabaseStore, name: String = "test") throws -> (
        key: APIKey, token: String
    ) {
        try pool.write { try APIKeyRepository().create(name: name, scope: scope, in: $0) }
    }

    @Test func noKeysYetSaysHowToCreateOne() throws {
        try withStore { pool, _ in
            let problem = Self.problem {
                try Authenticator(store: pool).require(.write, for: Self.request(authorization: nil))
            }
            #expect(problem?.status == .unauthorized)
            #expect(problem?.detail.contains("bilateral keys create") == true)
            #expect(problem?.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func missingTokenOnceKeysExist() throws {
        try withStore { pool, _ in
            _ = try Self.create(.write, in: pool)
            let problem = Self.problem {
                try Authenticator(store: pool).require(.read, for: Self.request(authorization: nil))
            }
            #expect(problem?.status == .unauthorized)
            #expect(problem?.detail.contains("Authorization: Bearer") == true)
            #expect(problem?.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        }
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Token abc", "Bearer", "Bearer ", "bil_only_a_token"])
    func wrongSchemeOrShapeIs401(header: String) throws {
        try withStore { pool, _ in
            let (_, token) = try Self.create(.write, in: pool)
            let value = header == "bil_only_a_token" ? token : header
            let problem = Self.problem {
                try Authenticator(store: pool).require(.read, for: Self.request(authorization: value))
            }
            #expect(problem?.status == .unauthorized)
            #expect(problem?.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func unknownTokenIs401() throws {
        try withStore { pool, _ in
            let (_, token) = try Self.create(.write, in: pool)
            for wrong in [
                "bil_" + String(repeating: "A", count: 43), String(token.dropLast()), token + "x",
                String(repeating: "x", count: 300),
            ] {
                let problem = Self.problem {
                    try Authenticator(store: pool).require(.read, for: Self.request(authorization: "Bearer " + wrong))
                }
                #expect(problem?.status == .unauthorized)
                #expect(problem?.headers["WWW-Authenticate"]?.contains("invalid_token") == true)
            }
        }
    }

    @Test func revokedTokenIs401() throws {
        try withStore { pool, _ in
            let (key, token) = try Self.create(.write, in: pool)
            let authenticator = Authenticator(store: pool)
            #expect(try authenticator.require(.write, for: Self.request(authorization: "Bearer " + token)) == key)
            #expect(try pool.write { try APIKeyRepository().revoke(id: key.id, in: $0) })
            let problem = Self.problem {
                try authenticator.require(.write, for: Self.request(authorization: "Bearer " + token))
            }
            #expect(problem?.status == .unauthorized)
            #expect(try pool.write { try APIKeyRepository().revoke(id: "key_nope", in: $0) } == false)
        }
    }

    @Test func scopes() throws {
        try withStore { pool, _ in
            let (readKey, readToken) = try Self.create(.read, in: pool, name: "reader")
            let (writeKey, writeToken) = try Self.create(.write, in: pool, name: "writer")
            let authenticator = Authenticator(store: pool)
            let problem = Self.problem {
                try authenticator.require(.write, for: Self.request(authorization: "Bearer " + readToken))
            }
            #expect(problem?.status == .forbidden)
            #expect(problem?.headers["WWW-Authenticate"]?.contains("insufficient_scope") == true)
            #expect(problem?.detail.contains("reader") == true)
            #expect(
                try authenticator.require(.read, for: Self.request(authorization: "Bearer " + readToken)) == readKey)
            #expect(
                try authenticator.require(.write, for: Self.request(authorization: "Bearer " + writeToken)) == writeKey)
            #expect(
                try authenticator.require(.read, for: Self.request(authorization: "Bearer " + writeToken)) == writeKey)
            // RFC 6750 §2.1 / RFC 9110 §11.1: the scheme name is case-insensitive.
            #expect(
                try authenticator.require(.read, for: Self.request(authorization: "bearer " + writeToken)) == writeKey)
        }
    }

    @Test func onlyTheTokensDigestIsStored() throws {
        try withStore { pool, directory in
            let (key, token) = try Self.create(.write, in: pool)
            #expect(token.hasPrefix("bil_"))
            #expect(key.tokenPrefix == String(token.prefix(10)))
            let stored = try pool.read { db in
                try db.queryOne("SELECT token_hash FROM api_keys WHERE id = ?", [.text(key.id)]) { try $0.string(0) }
            }
            #expect(stored == SHA256.hash(Array(token.utf8)).hexString)
            let listed = try pool.read { try APIKeyRepository().list(in: $0) }
            #expect(listed == [key])
            // Nowhere in the files: not in the database, its WAL, or its shared memory.
            let secretPart = Array(token.dropFirst(10).utf8)
            #expect(!(try directory.allFileBytes()).contains(subsequence: secretPart))
            pool.close()
            let files = try directory.allFileBytes()
            #expect(files.count > 0)
            #expect(!files.contains(subsequence: secretPart))
            #expect(
                files.contains(subsequence: Array(SHA256.hash(Array(token.utf8)).hexString.utf8)), "the digest is there"
            )
        }
    }

    @Test func privateReadsOverHTTP() throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, app, _ in
            let anonymous = try server.request("GET", "/v1/countries")
            #expect(anonymous.status == 401)
            #expect(anonymous["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
            #expect(anonymous["Content-Type"] == "application/problem+json")
            #expect(try server.request("HEAD", "/v1/countries/KH").status == 401)

            let (_, token) = try Self.create(.read, in: app.store)
            let authorised = try server.request(
                "GET", "/v1/countries/KH", headers: [("Authorization", "Bearer \(token)")])
            #expect(authorised.status == 200)
            #expect(authorised.bodyString == CountryRoutesTests.cambodia)
            let wrong = try server.request("GET", "/v1/countries/KH", headers: [("Authorization", "Bearer bil_nope")])
            #expect(wrong.status == 401)

            for open in ["/healthz", "/readyz", "/openapi.yaml", "/docs"] {
                #expect(try server.request("GET", open).status == 200, "\(open) stays public")
            }
            // Metrics tell how the private record is used: a scraper needs a read key.
            #expect(try server.request("GET", "/metrics").status == 401)
            #expect(try server.request("GET", "/%6Detrics").status == 401)
            let scraped = try server.request("GET", "/metrics", headers: [("Authorization", "Bearer \(token)")])
            #expect(scraped.status == 200)
        }
    }

    /// The router percent-decodes path segments, so the gate must look at the same path the router
    /// matches, not at the bytes as sent.
    @Test(arguments: ["/%76%31/countries/KH", "/v%31/countries", "/%76%31/countries"])
    func privateReadsCannotBeBypassedByPercentEncoding(target: String) throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, _, _ in
            let response = try server.request("GET", target)
            #expect(response.status == 401, "\(target) answered \(response.status)")
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
