import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

@Suite("Search: the query grammar, ranking, snippets, paging, and every 400")
struct SearchTests {
    @Test(arguments: [
        ("trust", #""trust""#),
        ("demin*", #""demin"*"#),
        (#""mutual trust""#, #""mutual trust""#),
        (#""mutual tru"*"#, #""mutual tru"*"#),
        (#"  "Hun Sen"  AND trust OR (x) "#, #""Hun Sen" "AND" "trust" "OR" "x""#),
        ("NEAR(a b) title:c -d +e ^f", #""NEAR" "a" "b" "title" "c" "d" "e" "f""#),
        (#""single""#, #""single""#),
        ("Séiha", #""Séiha""#),
        ("ភ្នំពេញ", #""ភ្នំពេញ""#),
        ("合作*", #""合作"*"#),
    ])
    func queriesBecomeQuotedTerms(_ q: String, _ match: String) throws {
        #expect(try SearchQuery(q).match == match)
    }

    @Test(arguments: [
        "", "   ", "*", "* ( ) - + : ^", #""""#, #"" ""#, #"""*"#, #""mutual trust"#, #"a "b" "c"#,
        String(repeating: "a", count: 501), Array(repeating: "w", count: 33).joined(separator: " "),
    ])
    func queriesTheGrammarRejects(_ q: String) {
        #expect(throws: HTTPError.self) { try SearchQuery(q) }
    }

    static func hits(_ server: HTTPServer, _ query: String) throws -> [[String: Any]] {
        let response = try server.request("GET", "/v1/search?\(query)")
        guard response.status == 200 else { throw TestFailure("\(query): \(response.status) \(response.bodyString)") }
        return try RelationSampleTests.data(response)
    }

    static func keys(_ hits: [[String: Any]]) -> [String] {
        hits.map { "\($0["type"] as? String ?? "")/\($0["id"] as? String ?? "")" }
    }

    @Test func theSampleAnswersWordsPhrasesAndPrefixes() throws {
        try RelationSampleTests.withSample { server in
            let trust = try Self.hits(server, "q=%22mutual%20trust%22")
            #expect(Self.keys(trust) == ["statement/hun-sen-post-2024-06-04-trust"])
            let snippet = try #require(trust.first?["snippet"] as? String)
            #expect(snippet.contains("<mark>mutual trust</mark>"))
            #expect(trust.first?["label"] as? String == "Hun Sen, 2024-06-04")
            #expect(try Self.hits(server, "q=%22trust%20mutual%22").isEmpty, "a phrase keeps its order")

            let demining = try Self.hits(server, "q=demin*&types=initiative,statement")
            #expect(!demining.isEmpty)
            #expect(Set(demining.compactMap { $0["type"] as? String }).isSubset(of: ["initiative", "statement"]))
            #expect(demining.allSatisfy { ($0["snippet"] as? String)?.lowercased().contains("<mark>demin") == true })
            #expect(try Self.hits(server, "q=demin").isEmpty, "a bare word is a whole word")

            let actors = try Self.hits(server, "q=pentagon&types=actor")
            #expect(Self.keys(actors) == ["actor/us-dod"], "aliases are searched")
            #expect(actors.first?["label"] as? String == "US Department of Defense")
            #expect(actors.first?["date"] is NSNull)

            let all = try Self.hits(server, "q=austin&limit=500")
            #expect(Set(all.compactMap { $0["type"] as? String }) == ["meeting", "statement", "initiative", "actor"])
            let response = try server.request("GET", "/v1/search?q=austin&limit=500")
            let etag = try #require(response["ETag"])
            #expect(
                try server.request("GET", "/v1/search?q=austin&limit=500", headers: [("If-None-Match", etag)]).status
                    == 304)
        }
    }

    static let badRequests: [(String, String)] = [
        ("/v1/search", "q"),
        ("/v1/search?q=", "q"),
        ("/v1/search?q=%2A%20%28%20%29%20-", "q"),
        ("/v1/search?q=%22mutual%20trust", "q"),
        ("/v1/search?q=%22%22", "q"),
        ("/v1/search?q=" + String(repeating: "trust%20", count: 80), "q"),
        ("/v1/search?q=trust&q=peace", "q"),
        ("/v1/search?q=trust&types=meeting,country", "types"),
        ("/v1/search?q=trust&limit=0", "limit"),
        ("/v1/search?q=trust&cursor=nope", "cursor"),
        ("/v1/search?q=trust&sort=date", "sort"),
    ]

    @Test func everyMistakeIsA400ThatExplainsTheSyntax() throws {
        try RelationSampleTests.withSample { server in
            for (target, field) in Self.badRequests {
                let response = try server.request("GET", target)
                #expect(response.status == 400, "\(target): \(response.bodyString)")
                #expect(try response.firstErrorField() == field, "\(target)")
                if field == "q" {
                    #expect(response.bodyString.contains("search syntax"), "\(target): \(response.bodyString)")
                }
            }
        }
    }

    @Test func nonLatinTextDiacriticsAndTheIndexesFollowingWrites() throws {
        try MeetingTests.withActors { client, _ throws in
            let server = client.server
            let texts = [
                ("s-km", "ភ្នំពេញ ជា រាជធានី"), ("s-zh", "中美 合作 关系"), ("s-ru", "Сотрудничество и доверие"),
                ("s-fr", "La coopération régionale progresse"),
            ]
            for (id, text) in texts {
                let body =
                    #"{"id":"\#(id)","speaker_id":"hun-manet","date":"2024-06-04","channel":"speech","text":"\#(text)"}"#
                #expect(try client.send("POST", "/v1/statements", json: body).status == 201)
            }
            func ids(_ q: String) throws -> [String] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
                return try Self.hits(server, "q=\(encoded)").compactMap { $0["id"] as? String }
            }
            #expect(try ids("ភ្នំពេញ") == ["s-km"])
            #expect(try ids("合作") == ["s-zh"])
            #expect(try ids("сотрудничество") == ["s-ru"], "case folds beyond ASCII")
            #expect(try ids("cooperation") == ["s-fr"], "diacritics are ignored in the text")
            #expect(try ids("coopération régionale") == ["s-fr"])
            #expect(try ids("REGION*") == ["s-fr"])

            // Actors: names and aliases follow every write.
            #expect(
                try client.send(
                    "PATCH", "/v1/actors/tea-seiha", json: #"{"aliases":["Samdech Pichey Sena Tea Séiha"]}"#
                )
                .status == 200)
            #expect(try Self.hits(server, "q=pichey&types=actor").compactMap { $0["id"] as? String } == ["tea-seiha"])
            #expect(try client.get("/v1/actors?q=samdech%20pi").status == 200)
            #expect(try MeetingTests.ids(try client.get("/v1/actors?q=samdech%20pi")) == ["tea-seiha"])
            #expect(try MeetingTests.ids(try client.get("/v1/actors?q=seiha")) == ["tea-seiha"])
            #expect(try MeetingTests.ids(try client.get("/v1/actors?q=hun")) == ["hun-manet"])
            #expect(try MeetingTests.ids(try client.get("/v1/actors?q=united%20nat")) == ["un"])
            #expect(try MeetingTests.ids(try client.get("/v1/actors?q=nations%20united")) == [])
            #expect(try client.get("/v1/actors?q=%2A%2A").status == 400)
            #expect(try client.send("PATCH", "/v1/actors/tea-seiha", json: #"{"aliases":[]}"#).status == 200)
            #expect(try Self.hits(server, "q=pichey&types=actor").isEmpty)
            #expect(try client.send("PATCH", "/v1/actors/tea-seiha", json: #"{"name":"Tea Banh"}"#).status == 200)
            #expect(try Self.hits(server, "q=banh").compactMap { $0["id"] as? String } == ["tea-seiha"])
            #expect(try client.send("DELETE", "/v1/statements/s-fr").status == 204)
            #expect(try ids("cooperation").isEmpty)
        }
    }

    @Test func pagesNeverSkipOrRepeat() throws {
        try MeetingTests.withActors { client, _ throws in
            for i in 0..<23 {
                // Several equal texts: equal scores, so ties must be broken stably.
                let text = i % 3 == 0 ? "harbour" : "the harbour and the harbour pilots, visit \(i)"
                let body =
                    #"{"id":"h\#(i)","speaker_id":"lloyd-austin","date":"2024-06-04","channel":"speech","text":"\#(text)"}"#
                #expect(try client.send("POST", "/v1/statements", json: body).status == 201)
            }
            #expect(
                try client.send(
                    "POST", "/v1/meetings",
                    json:
                        #"{"id":"mh","title":"Harbour talks","date":"2024-06-05","kind":"meeting","participants":[{"actor_id":"lloyd-austin","role":"guest"}]}"#
                ).status == 201)
            let whole = Self.keys(try Self.hits(client.server, "q=harbour&limit=500"))
            #expect(whole.count == 24 && Set(whole).count == 24)
            for limit in [1, 5, 7] {
                let paged = Self.keys(try RelationSampleTests.all(client.server, "/v1/search?q=harbour&limit=\(limit)"))
                #expect(paged == whole, "limit \(limit)")
            }
            let first = try client.get("/v1/search?q=harbour&limit=2")
            let cursor = try #require(try first.jsonObject()["next_cursor"] as? String)
            #expect(try client.get("/v1/search?q=pilots&limit=2&cursor=\(cursor)").status == 400)
        }
    }

    @Test("matches beyond the ranking window follow the ranked ones, newest first, and paging reaches them all")
    func pagesReachMatchesBeyondTheRankingWindow() throws {
        try MeetingTests.withActors { client, app throws in
            for i in 0..<13 {
                let body =
                    #"{"id":"w\#(i)","speaker_id":"lloyd-austin","date":"2024-06-04","channel":"speech","text":"wharf \#(i)"}"#
                #expect(try client.send("POST", "/v1/statements", json: body).status == 201)
            }
            let match = try SearchQuery("wharf").match
            let everything = try app.store.read { db in
                try SearchRepository.page(match, types: [.statement], after: nil, limit: 100, candidates: 5, in: db)
            }
            #expect(everything.count == 13 && Set(everything.map(\.rowid)).count == 13)
            // The five newest are ranked; the eight older ones follow, newest first.
            #expect(everything.prefix(5).allSatisfy { $0.tier == 0 })
            let older = everything.dropFirst(5)
            #expect(older.allSatisfy { $0.tier == 1 })
            #expect(older.map(\.rowid) == older.map(\.rowid).sorted(by: >))
            #expect(everything.prefix(5).map(\.rowid).min() ?? 0 > older.map(\.rowid).max() ?? 0)
            for limit in [1, 4, 5, 6] {
                var paged: [SearchRepository.Key] = []
                var after: SearchRepository.Key?
                while true {
                    let page = try app.store.read { db in
                        try SearchRepository.page(
                            match, types: [.statement], after: after, limit: limit, candidates: 5, in: db)
                    }
                    paged += page
                    guard page.count == limit, let last = page.last else { break }
                    after = last
                }
                #expect(paged == everything, "limit \(limit)")
            }
        }
    }
}
