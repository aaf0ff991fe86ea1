import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// A server with a write key, and helpers to send JSON with it.
struct WritingClient {
    let server: HTTPServer
    let token: String

    static func with<T>(_ body: (WritingClient, BilateralApp) throws -> T) throws -> T {
        try withAPIServer { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "tests", scope: .write, in: $0) }
            return try body(WritingClient(server: server, token: token), app)
        }
    }

    func send(
        _ method: String, _ target: String, json: String? = nil, contentType: String = "application/json",
        headers: [(String, String)] = [], token: String? = nil
    ) throws -> RawResponse {
        var all = headers
        all.append(("Authorization", "Bearer \(token ?? self.token)"))
        if json != nil { all.append(("Content-Type", contentType)) }
        return try server.request(method, target, headers: all, body: Array((json ?? "").utf8))
    }

    func get(_ target: String, headers: [(String, String)] = []) throws -> RawResponse {
        try server.request("GET", target, headers: headers)
    }
}

@Suite("Actors: writes, validation, preconditions, idempotency")
struct ActorWriteTests {
    static let hunSen = #"""
        {"id":"hun-sen","kind":"person","name":"Hun Sen","aliases":["Samdech Techo Hun Sen"],"country":"KH",
         "description":"Former Prime Minister and current Senate President",
         "roles":[{"title":"President of the Senate","organization_id":"senate-kh"}]}
        """#
    static let senate = #"{"id":"senate-kh","kind":"organization","name":"Senate of Cambodia","country":"KH"}"#

    @Test func createThenGetReturnsTheSameRepresentation() throws {
        try WritingClient.with { client, _ in
            #expect(try client.send("POST", "/v1/actors", json: Self.senate).status == 201)
            let created = try client.send("POST", "/v1/actors", json: Self.hunSen)
            #expect(created.status == 201)
            #expect(created["Location"] == "/v1/actors/hun-sen")
            let etag = try #require(created["ETag"])
            let body = created.bodyString
            #expect(
                body.hasPrefix(
                    #"{"id":"hun-sen","kind":"person","name":"Hun Sen","aliases":["Samdech Techo Hun Sen"],"country":"KH","description":"Former Prime Minister and current Senate President","roles":[{"title":"President of the Senate","organization_id":"senate-kh","start_date":null,"end_date":null}],"created_at":""#
                ))
            #expect(body.hasSuffix(#","version":1}"#))

            let fetched = try client.get("/v1/actors/hun-sen")
            #expect(fetched.status == 200)
            #expect(fetched.bodyString == body)
            #expect(fetched["ETag"] == etag)
            #expect(try client.get("/v1/actors/hun-sen", headers: [("If-None-Match", etag)]).status == 304)
        }
    }

    @Test func generatedIdsAreLowercaseULIDs() throws {
        try WritingClient.with { client, _ in
            let created = try client.send(
                "POST", "/v1/actors", json: #"{"kind":"organization","name":"United Nations"}"#)
            #expect(created.status == 201)
            let id = try #require(try created.jsonObject()["id"] as? String)
            #expect(id.count == 26)
            #expect(id == id.lowercased())
            #expect(Rules.isValidID(id))
            #expect(created["Location"] == "/v1/actors/\(id)")
        }
    }

    @Test func writesNeedAWriteKey() throws {
        try WritingClient.with { client, app in
            let anonymous = try client.server.request(
                "POST", "/v1/actors", headers: [("Content-Type", "application/json")], body: Array(Self.senate.utf8))
            #expect(anonymous.status == 401)
            #expect(anonymous["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
            let (_, readToken) = try app.store.write { try APIKeyRepository().create(name: "r", scope: .read, in: $0) }
            #expect(try client.send("POST", "/v1/actors", json: Self.senate, token: readToken).status == 403)
            #expect(try client.get("/v1/actors/senate-kh").status == 404)
        }
    }

    @Test func duplicateIdOnPostIsAConflict() throws {
        try WritingClient.with { client, _ in
            #expect(try client.send("POST", "/v1/actors", json: Self.senate).status == 201)
            let again = try client.send("POST", "/v1/actors", json: Self.senate)
            #expect(again.status == 409)
            #expect(again.bodyString.contains("senate-kh"))
        }
    }

    @Test func putCreatesThenReplacesAndARepeatChangesNothing() throws {
        try WritingClient.with { client, _ in
            let created = try client.send("PUT", "/v1/actors/senate-kh", json: Self.senate)
            #expect(created.status == 201)
            let first = try created.jsonObject()
            let repeated = try client.send("PUT", "/v1/actors/senate-kh", json: Self.senate)
            #expect(repeated.status == 200)
            #expect(repeated.bodyString == created.bodyString)
            #expect(try repeated.jsonObject()["version"] as? Int == 1)

            let renamed = try client.send(
                "PUT", "/v1/actors/senate-kh",
                json: Self.senate.replacingOccurrences(of: "Senate of Cambodia", with: "Senate"))
            let after = try renamed.jsonObject()
            #expect(renamed.status == 200)
            #expect(after["version"] as? Int == 2)
            #expect(after["created_at"] as? String == first["created_at"] as? String)
            #expect(try client.send("PUT", "/v1/actors/other", json: Self.senate).status == 422)
        }
    }

    /// Roles name organizations: one that roles name cannot turn into a person, through PATCH or
    /// an import line (else its holder's line would not import again from an export).
    @Test func anOrganizationThatRolesNameStaysAnOrganization() throws {
        try WritingClient.with { client, _ in
            _ = try client.send("POST", "/v1/actors", json: Self.senate)
            _ = try client.send("POST", "/v1/actors", json: Self.hunSen)
            let patched = try client.send(
                "PATCH", "/v1/actors/senate-kh", json: #"{"kind":"person"}"#,
                contentType: "application/merge-patch+json")
            #expect(patched.status == 409, "\(patched.bodyString)")
            #expect(patched.bodyString.contains("actors/hun-sen"))
            #expect(try client.get("/v1/actors/senate-kh").jsonObject()["kind"] as? String == "organization")
            let line = #"{"type":"actor","id":"senate-kh","kind":"person","name":"Senate of Cambodia","country":"KH"}"#
            let imported = try ImportRoutesTests.post(client, Array(line.utf8))
            #expect(imported.status == 422, "\(imported.bodyString)")
            #expect(try client.get("/v1/actors/senate-kh").jsonObject()["kind"] as? String == "organization")
            // Once no role names it, it may change.
            #expect(try client.send("PATCH", "/v1/actors/hun-sen", json: #"{"roles":[]}"#).status == 200)
            #expect(try client.send("PATCH", "/v1/actors/senate-kh", json: #"{"kind":"person"}"#).status == 200)
        }
    }

    @Test func mergePatchNullRemovesAnOptionalField() throws {
        try WritingClient.with { client, _ in
            _ = try client.send("POST", "/v1/actors", json: Self.senate)
            _ = try client.send("POST", "/v1/actors", json: Self.hunSen)
            let patched = try client.send(
                "PATCH", "/v1/actors/hun-sen", json: #"{"description":null,"aliases":["Hun Sen of Cambodia"]}"#,
                contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            let object = try patched.jsonObject()
            #expect(object["description"] is NSNull)
            #expect(object["aliases"] as? [String] == ["Hun Sen of Cambodia"])
            #expect(object["version"] as? Int == 2)
            #expect((object["roles"] as? [[String: Any]])?.count == 1)

            let unknown = try client.send("PATCH", "/v1/actors/hun-sen", json: #"{"nickname":"x"}"#)
            #expect(unknown.status == 422)
            #expect(try unknown.firstErrorField() == "nickname")
            #expect(try client.send("PATCH", "/v1/actors/nobody", json: "{}").status == 404)
        }
    }

    @Test(arguments: [
        (#"{"kind":"person","name":"Hun Sen"}"#, "country"),
        (#"{"kind":"person","name":"  ","country":"KH"}"#, "name"),
        (#"{"kind":"robot","name":"X","country":"KH"}"#, "kind"),
        (#"{"kind":"person","name":"X","country":"kh"}"#, "country"),
        (#"{"kind":"person","name":"X","country":"ZZ"}"#, "country"),
        (#"{"id":"-bad","kind":"organization","name":"X"}"#, "id"),
        (#"{"kind":"organization","name":"X","aliases":["a","a"]}"#, "aliases[1]"),
        (#"{"kind":"organization","name":"X","aliases":null}"#, "aliases"),
        (
            #"{"kind":"organization","name":"X","roles":[{"title":"T","start_date":"2024-02-30"}]}"#,
            "roles[0].start_date"
        ),
        (
            #"{"kind":"organization","name":"X","roles":[{"title":"T","start_date":"2024-05-01","end_date":"2024-04-01"}]}"#,
            "roles[0].end_date"
        ),
        (
            #"{"kind":"organization","name":"X","roles":[{"title":"T","organization_id":"nowhere"}]}"#,
            "roles[0].organization_id"
        ),
        (#"{"kind":"organization","name":"X","roles":[{"rank":"T"}]}"#, "roles[0].title"),
        (#"{"kind":"organization","name":"X","colour":"blue"}"#, "colour"),
        (#"{"kind":"organization","name":42}"#, "name"),
        (#"[1,2]"#, "$"),
    ])
    func validationNamesTheField(body: String, field: String) throws {
        try WritingClient.with { client, _ in
            let response = try client.send("POST", "/v1/actors", json: body)
            #expect(response.status == 422, "\(body) → \(response.bodyString)")
            let fields = (try response.jsonObject()["errors"] as? [[String: Any]])?.compactMap {
                $0["field"] as? String
            }
            #expect(fields?.contains(field) == true, "\(body) → \(response.bodyString)")
            #expect(try client.get("/v1/actors?limit=500").jsonObject()["data"] as? [Any] != nil)
        }
    }

    @Test func everyBrokenRuleIsListedInOneAnswer() throws {
        try WritingClient.with { client, _ in
            let response = try client.send("POST", "/v1/actors", json: #"{"kind":"x","name":"","extra":1}"#)
            let fields = (try response.jsonObject()["errors"] as? [[String: Any]])?.compactMap {
                $0["field"] as? String
            }
            #expect(Set(fields ?? []) == ["kind", "name", "extra"])
        }
    }

    @Test func roleOrganizationMustBeAnOrganization() throws {
        try WritingClient.with { client, _ in
            _ = try client.send("POST", "/v1/actors", json: #"{"id":"p","kind":"person","name":"P","country":"US"}"#)
            let response = try client.send(
                "POST", "/v1/actors",
                json: #"{"kind":"person","name":"Q","country":"US","roles":[{"title":"T","organization_id":"p"}]}"#)
            #expect(response.status == 422)
            #expect(try response.firstErrorField() == "roles[0].organization_id")
        }
    }

    @Test func malformedBodiesAndMediaTypes() throws {
        try WritingClient.with { client, _ throws in
            #expect(try client.send("POST", "/v1/actors", json: Self.senate, contentType: "text/plain").status == 415)
            #expect(try client.send("POST", "/v1/actors", json: "{\"kind\":").status == 400)
            #expect(try client.send("POST", "/v1/actors", json: "").status == 400)
            let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
            #expect(
                try client.send("POST", "/v1/actors", json: #"{"kind":"organization","name":"X","aliases":\#(deep)}"#)
                    .status == 400)
            #expect(
                try client.send("PATCH", "/v1/actors/x", json: "{}", contentType: "application/xml").status == 415)
        }
    }

    @Test func preconditions() throws {
        try WritingClient.with { client, _ in
            let created = try client.send("PUT", "/v1/actors/senate-kh", json: Self.senate)
            let etag = try #require(created["ETag"])
            let stale = try client.send(
                "PUT", "/v1/actors/senate-kh",
                json: Self.senate.replacingOccurrences(of: "Senate of", with: "The Senate of"),
                headers: [("If-Match", #""0000000000000000""#)])
            #expect(stale.status == 412)
            let fresh = try client.send(
                "PATCH", "/v1/actors/senate-kh", json: #"{"name":"Senate"}"#, headers: [("If-Match", etag)])
            #expect(fresh.status == 200)
            #expect(
                try client.send(
                    "PUT", "/v1/actors/new-one",
                    json: Self.senate.replacingOccurrences(of: "senate-kh", with: "new-one"),
                    headers: [("If-Match", "*")]
                ).status == 412)
            #expect(
                try client.send("PUT", "/v1/actors/senate-kh", json: Self.senate, headers: [("If-None-Match", "*")])
                    .status == 412)
            #expect(try client.send("DELETE", "/v1/actors/senate-kh", headers: [("If-Match", etag)]).status == 412)
            #expect(try client.send("DELETE", "/v1/actors/senate-kh", headers: [("If-Match", "*")]).status == 204)
            #expect(try client.get("/v1/actors/senate-kh").status == 404)
        }
    }

    @Test func deletingAReferencedActorIsRefusedAndNamesTheReferrers() throws {
        try WritingClient.with { client, _ in
            _ = try client.send("POST", "/v1/actors", json: Self.senate)
            _ = try client.send("POST", "/v1/actors", json: Self.hunSen)
            let refused = try client.send("DELETE", "/v1/actors/senate-kh")
            #expect(refused.status == 409)
            #expect(refused.bodyString.contains("actors/hun-sen"))
            #expect(try client.get("/v1/actors/senate-kh").status == 200)
            #expect(try client.send("DELETE", "/v1/actors/hun-sen").status == 204)
            #expect(try client.send("DELETE", "/v1/actors/senate-kh").status == 204)
            #expect(try client.send("DELETE", "/v1/actors/senate-kh").status == 404)
        }
    }

    @Test func idempotencyKeyReplaysTheFirstAnswer() throws {
        try WritingClient.with { client, _ in
            let body = #"{"kind":"organization","name":"United Nations"}"#
            let first = try client.send("POST", "/v1/actors", json: body, headers: [("Idempotency-Key", "retry-1")])
            let second = try client.send("POST", "/v1/actors", json: body, headers: [("Idempotency-Key", "retry-1")])
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(second.bodyString == first.bodyString)
            #expect(second["Location"] == first["Location"])
            #expect((try client.get("/v1/actors").jsonObject()["data"] as? [Any])?.count == 1)
            let other = try client.send(
                "POST", "/v1/actors", json: #"{"kind":"organization","name":"UN"}"#,
                headers: [("Idempotency-Key", "retry-1")])
            #expect(other.status == 422)
            #expect(
                try client.send("POST", "/v1/actors", json: body, headers: [("Idempotency-Key", "bad key")]).status
                    == 400)
        }
    }
}

@Suite("Actors: lists")
struct ActorListTests {
    /// SPEC: paging returns every matching record exactly once, in order, even among equal sort keys.
    @Test func pagingThroughEqualNamesNeverSkipsOrRepeats() throws {
        try WritingClient.with { client, app in
            try app.store.write { db in
                for index in 0..<120 {
                    let id = String(format: "twin-%03d", (index * 37) % 120)
                    try Actors.insert(
                        StoredRecord(
                            id: id,
                            content: ActorContent(
                                kind: "person", name: "Same Name", aliases: [], country: "KH",
                                description: nil, roles: []),
                            createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", version: 1),
                        in: db)
                }
            }
            var seen: [String] = []
            var target = "/v1/actors?limit=7"
            for _ in 0..<40 {
                let page = try client.get(target)
                #expect(page.status == 200)
                let object = try page.jsonObject()
                seen += ((object["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
                guard let cursor = object["next_cursor"] as? String else {
                    #expect(page["Link"] == nil)
                    break
                }
                #expect(page["Link"]?.contains(cursor) == true)
                target = "/v1/actors?limit=7&cursor=\(cursor)"
            }
            #expect(seen == (0..<120).map { String(format: "twin-%03d", $0) })
        }
    }

    @Test func filtersSortAndCSV() throws {
        try WritingClient.with { client, _ in
            for body in [
                #"{"id":"us-dod","kind":"organization","name":"US Department of Defense","country":"US"}"#,
                #"{"id":"lloyd-austin","kind":"person","name":"Lloyd Austin","country":"US"}"#,
                #"{"id":"hun-manet","kind":"person","name":"Hun Manet","country":"KH","aliases":["Manet"]}"#,
                #"{"id":"united-nations","kind":"organization","name":"United Nations","country":null}"#,
            ] {
                #expect(try client.send("POST", "/v1/actors", json: body).status == 201)
            }
            func ids(_ target: String) throws -> [String] {
                ((try client.get(target).jsonObject()["data"] as? [[String: Any]]) ?? []).compactMap {
                    $0["id"] as? String
                }
            }
            #expect(try ids("/v1/actors") == ["hun-manet", "lloyd-austin", "united-nations", "us-dod"])
            #expect(try ids("/v1/actors?sort=-name") == ["us-dod", "united-nations", "lloyd-austin", "hun-manet"])
            #expect(try ids("/v1/actors?kind=organization") == ["united-nations", "us-dod"])
            #expect(try ids("/v1/actors?country=us") == ["lloyd-austin", "us-dod"])
            #expect(try ids("/v1/actors?country=KH&country=US") == ["hun-manet", "lloyd-austin", "us-dod"])
            #expect(try ids("/v1/actors?q=aust") == ["lloyd-austin"])
            #expect(try ids("/v1/actors?q=manet") == ["hun-manet"])
            #expect(try ids("/v1/actors?q=defense") == ["us-dod"])
            #expect(try client.get("/v1/actors?kind=robot").status == 400)
            #expect(try client.get("/v1/actors?country=ZZ").status == 400)
            #expect(try client.get("/v1/actors?sort=date").status == 400)
            #expect(try client.get("/v1/actors?colour=red").status == 400)

            let csv = try client.get("/v1/actors?format=csv&kind=person")
            #expect(csv.status == 200)
            #expect(csv["Content-Type"]?.hasPrefix("text/csv") == true)
            let lines = csv.bodyString.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "id,kind,name,aliases,country,description,roles,created_at,updated_at,version")
            #expect(lines.count == 3)
            #expect(lines[1].hasPrefix("hun-manet,person,Hun Manet,Manet,KH,,,"))
            #expect(try client.get("/v1/actors", headers: [("Accept", "text/csv")]).bodyString.hasPrefix("id,kind,"))
        }
    }
}

@Suite("Sources")
struct SourceTests {
    @Test func urlIsUniqueAndValidated() throws {
        try WritingClient.with { client, _ in
            let article =
                #"{"id":"a","title":"Austin in Phnom Penh","url":"https://example.org/austin","published_on":"2024-06-05"}"#
            #expect(try client.send("POST", "/v1/sources", json: article).status == 201)
            let taken = try client.send(
                "POST", "/v1/sources", json: #"{"id":"b","title":"Copy","url":"https://example.org/austin"}"#)
            #expect(taken.status == 409)
            #expect(taken.bodyString.contains("'a'"))
            let bad = try client.send("POST", "/v1/sources", json: #"{"title":"X","url":"ftp://example.org"}"#)
            #expect(bad.status == 422)
            #expect(try bad.firstErrorField() == "url")
            #expect(try client.send("POST", "/v1/sources", json: #"{"title":"X","published_on":"June"}"#).status == 422)
            #expect(try client.send("PATCH", "/v1/sources/a", json: #"{"url":null}"#).status == 200)
            #expect(
                try client.send(
                    "POST", "/v1/sources", json: #"{"id":"b","title":"Copy","url":"https://example.org/austin"}"#
                ).status == 201)
        }
    }

    @Test func listFiltersAndPages() throws {
        try WritingClient.with { client, _ in
            for (id, title) in [("s1", "Austin visits Cambodia"), ("s2", "Trade talks"), ("s3", "Cambodia and the US")]
            {
                _ = try client.send("POST", "/v1/sources", json: #"{"id":"\#(id)","title":"\#(title)"}"#)
            }
            let page = try client.get("/v1/sources?limit=2").jsonObject()
            #expect(((page["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == ["s1", "s2"])
            let cursor = try #require(page["next_cursor"] as? String)
            let rest = try client.get("/v1/sources?limit=2&cursor=\(cursor)").jsonObject()
            #expect(((rest["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == ["s3"])
            let cambodia = try client.get("/v1/sources?q=cambodia").jsonObject()
            #expect(((cambodia["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == ["s1", "s3"])
            #expect(try client.get("/v1/sources?limit=2&cursor=\(cursor)&q=trade").status == 400)
        }
    }
}
