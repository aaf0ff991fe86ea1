import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

@Suite("q: full-text filters")
struct TextFilterTests {
    @Test func userTextBecomesQuotedPrefixWords() {
        #expect(FullTextQuery.words("mutual trust") == #""mutual"* "trust"*"#)
        #expect(FullTextQuery.words(#"demin* OR "x" NEAR("#) == #""demin"* "OR"* "x"* "NEAR"*"#)
        #expect(FullTextQuery.words("  --- !! ") == nil)
        #expect(FullTextQuery.words("ភ្នំពេញ") != nil)
    }

    @Test func wordsPrefixesDiacriticsAndTheIndexFollowingWrites() throws {
        try MeetingTests.withActors { client, _ throws in
            let body =
                #"{"id":"m1","title":"Austin meets Tea Séiha","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"}],"summary":"Demining and UXO clearance were discussed."}"#
            #expect(try client.send("POST", "/v1/meetings", json: body).status == 201)
            func ids(_ q: String) throws -> [String] {
                let response = try client.get("/v1/meetings?q=\(q)")
                #expect(response.status == 200, "\(q)")
                return try MeetingTests.ids(response)
            }
            #expect(try ids("seiha") == ["m1"], "diacritics are folded")
            #expect(try ids("demin") == ["m1"], "a word start matches")
            #expect(try ids("uxo%20clearance") == ["m1"])
            #expect(try ids("clearance%20golf") == [], "every word must match")
            #expect(try ids("%22OR%22") == [], "operators are plain words")
            #expect(try client.get("/v1/meetings?q=---").status == 400)

            #expect(
                try client.send("PATCH", "/v1/meetings/m1", json: #"{"title":"Austin meets the minister"}"#).status
                    == 200)
            #expect(try ids("seiha") == [], "the index follows an update")
            #expect(try ids("minister") == ["m1"])
            #expect(try client.send("DELETE", "/v1/meetings/m1").status == 204)
            #expect(try ids("minister") == [], "and a delete")
        }
    }
}
