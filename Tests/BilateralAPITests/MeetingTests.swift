import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

@Suite("Meetings: derived fields, references, filters, paging")
struct MeetingTests {
    static let actors = [
        #"{"id":"lloyd-austin","kind":"person","name":"Lloyd Austin","country":"US"}"#,
        #"{"id":"hun-manet","kind":"person","name":"Hun Manet","country":"KH"}"#,
        #"{"id":"tea-seiha","kind":"person","name":"Tea Seiha","country":"KH"}"#,
        #"{"id":"un","kind":"organization","name":"United Nations","country":null}"#,
    ]

    static func meeting(
        _ id: String, date: String = "2024-06-04",
        participants: [(String, String)] = [("lloyd-austin", "guest"), ("hun-manet", "host")],
        kind: String = "meeting", topics: [String] = ["demining"]
    ) -> String {
        let people = participants.map { #"{"actor_id":"\#($0.0)","role":"\#($0.1)"}"# }.joined(separator: ",")
        let topicList = topics.map { "\"\($0)\"" }.joined(separator: ",")
        return
            #"{"id":"\#(id)","title":"Talks \#(id)","date":"\#(date)","kind":"\#(kind)","location":{"city":"Phnom Penh","country":"KH"},"participants":[\#(people)],"topics":[\#(topicList)]}"#
    }

    static func withActors<T>(_ body: (WritingClient, BilateralApp) throws -> T) throws -> T {
        try WritingClient.with { client, app in
            for actor in actors { #expect(try client.send("POST", "/v1/actors", json: actor).status == 201) }
            return try body(client, app)
        }
    }

    static func ids(_ response: RawResponse) throws -> [String] {
        ((try response.jsonObject()["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test func derivedNamesAndCountries() throws {
        try Self.withActors { client, _ in
            let created = try client.send("POST", "/v1/meetings", json: Self.meeting("m1"))
            #expect(created.status == 201)
            let object = try created.jsonObject()
            #expect(object["countries"] as? [String] == ["KH", "US"])
            let participants = object["participants"] as? [[String: Any]]
            #expect(participants?.map { $0["name"] as? String } == ["Lloyd Austin", "Hun Manet"])
            #expect(participants?.map { $0["country"] as? String } == ["US", "KH"])
            #expect(object["date_precision"] as? String == "day")
            #expect((object["location"] as? [String: Any])?["city"] as? String == "Phnom Penh")
            // Derived fields sent back are accepted and ignored (PUT back what you GET).
            let again = try client.send("PUT", "/v1/meetings/m1", json: created.bodyString)
            #expect(again.status == 200)
            #expect(try again.jsonObject()["version"] as? Int == 1)
            #expect(again.bodyString == created.bodyString)
        }
    }

    @Test func anActorRenameReachesMeetingsAndTheirETags() throws {
        try Self.withActors { client, _ in
            _ = try client.send("POST", "/v1/meetings", json: Self.meeting("m1"))
            let before = try client.get("/v1/meetings/m1")
            let tag = try #require(before["ETag"])
            #expect(
                try client.send("PATCH", "/v1/actors/hun-manet", json: #"{"name":"Samdech Hun Manet"}"#).status == 200)
            let after = try client.get("/v1/meetings/m1", headers: [("If-None-Match", tag)])
            #expect(after.status == 200, "the ETag must change with the derived name")
            #expect(after["ETag"] != tag)
            #expect(after.bodyString.contains("Samdech Hun Manet"))
            #expect(try after.jsonObject()["version"] as? Int == 1)
        }
    }

    @Test func anActorCountryChangeMovesTheMeetingBetweenCountryFilters() throws {
        try Self.withActors { client, _ in
            _ = try client.send("POST", "/v1/meetings", json: Self.meeting("m1"))
            #expect(try Self.ids(client.get("/v1/meetings?country=FR")) == [])
            #expect(try client.send("PATCH", "/v1/actors/lloyd-austin", json: #"{"country":"FR"}"#).status == 200)
            #expect(try Self.ids(client.get("/v1/meetings?country=FR")) == ["m1"])
            #expect(try Self.ids(client.get("/v1/meetings?country=US")) == [])
            #expect(try client.get("/v1/meetings/m1").jsonObject()["countries"] as? [String] == ["FR", "KH"])
        }
    }

    @Test func referencesMustExistAndReferencedActorsStay() throws {
        try Self.withActors { client, _ in
            let missing = try client.send(
                "POST", "/v1/meetings", json: Self.meeting("m1", participants: [("nobody", "guest")]))
            #expect(missing.status == 422)
            #expect(try missing.firstErrorField() == "participants[0].actor_id")
            _ = try client.send("POST", "/v1/meetings", json: Self.meeting("m1"))
            let refused = try client.send("DELETE", "/v1/actors/hun-manet")
            #expect(refused.status == 409)
            #expect(refused.bodyString.contains("meetings/m1"))
            #expect(try client.send("DELETE", "/v1/meetings/m1").status == 204)
            #expect(try client.send("DELETE", "/v1/actors/hun-manet").status == 204)
        }
    }

    /// A record's references are looked up together on PostgreSQL (one query for the lot): every
    /// missing one is still named at its own field, and nothing is written.
    @Test func everyMissingReferenceAmongManyIsNamed() throws {
        try Self.withActors { client, _ in
            let body = Self.meeting(
                "m1",
                participants: [
                    ("lloyd-austin", "guest"), ("ghost-a", "host"), ("hun-manet", "host"), ("ghost-b", "guest"),
                    ("tea-seiha", "guest"),
                ])
            let refused = try client.send("POST", "/v1/meetings", json: body)
            #expect(refused.status == 422, "\(refused.bodyString)")
            let errors = (try refused.jsonObject()["errors"] as? [[String: Any]]) ?? []
            #expect(
                errors.compactMap { $0["field"] as? String } == [
                    "participants[1].actor_id", "participants[3].actor_id",
                ])
            #expect(
                errors.compactMap { $0["message"] as? String } == [
                    "no actor has the id 'ghost-a'", "no actor has the id 'ghost-b'",
                ])
            #expect(try client.get("/v1/meetings/m1").status == 404)
        }
    }

    /// A record's list rows go in with one statement per table on PostgreSQL: they keep their
    /// order and their text, quotes, backslashes and all, and a new record gets its derived rows.
    @Test func listsKeepTheirOrderAndTheirText() throws {
        try Self.withActors { client, _ in
            let aliases = [
                #"Quote "q""#, #"Back\slash"#, "Ünïcødé — 柬埔寨", "tab\tand\nnewline", "flag 🇰🇭 and \u{1B}escape",
            ]
            let roles: [[String: Any]] = [
                ["title": "Envoy", "organization_id": NSNull(), "start_date": "2020-01-02", "end_date": NSNull()],
                ["title": "Adviser"],
            ]
            let actor: [String: Any] = [
                "id": "many", "kind": "person", "name": "Many Names", "country": "FR", "aliases": aliases,
                "roles": roles,
            ]
            let actorJSON = String(decoding: try JSONSerialization.data(withJSONObject: actor), as: UTF8.self)
            let posted = try client.send("POST", "/v1/actors", json: actorJSON)
            #expect(posted.status == 201, "\(posted.bodyString)")
            let stored = try client.get("/v1/actors/many")
            #expect(stored.bodyString == posted.bodyString)
            #expect(try stored.jsonObject()["aliases"] as? [String] == aliases)
            let storedRoles = (try stored.jsonObject()["roles"] as? [[String: Any]]) ?? []
            #expect(storedRoles.compactMap { $0["title"] as? String } == ["Envoy", "Adviser"])
            #expect(storedRoles.map { $0["start_date"] as? String } == ["2020-01-02", nil])
            #expect(storedRoles.allSatisfy { $0["end_date"] is NSNull && $0["organization_id"] is NSNull })
            let participants = [
                ("tea-seiha", "guest"), ("lloyd-austin", "host"), ("many", "guest"), ("hun-manet", "host"),
            ]
            let body = Self.meeting("m1", participants: participants, topics: ["demining", "trade", "health"])
                .replacingOccurrences(of: #""id":"m1","#, with: "")
            let created = try client.send("POST", "/v1/meetings", json: body)
            #expect(created.status == 201, "\(created.bodyString)")
            let id = try #require(try created.jsonObject()["id"] as? String)
            let read = try client.get("/v1/meetings/\(id)")
            #expect(read.bodyString == created.bodyString)
            let object = try read.jsonObject()
            let people = (object["participants"] as? [[String: Any]]) ?? []
            #expect(people.compactMap { $0["actor_id"] as? String } == participants.map(\.0))
            #expect(object["topics"] as? [String] == ["demining", "trade", "health"])
            #expect(object["countries"] as? [String] == ["FR", "KH", "US"])
            #expect(try Self.ids(client.get("/v1/meetings?country=US")) == [id])
            #expect(try client.get("/v1/relations/KH/US").jsonObject()["meetings"] as? Int == 1)
        }
    }

    @Test(arguments: [
        (#"{"title":"T","date":"2024-06-04","kind":"meeting","participants":[]}"#, "participants"),
        (#"{"title":"T","date":"2024-06-04","kind":"meeting"}"#, "participants"),
        (
            #"{"title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"},{"actor_id":"hun-manet","role":"guest"}]}"#,
            "participants[1].actor_id"
        ),
        (
            #"{"title":"T","date":"2024-06-31","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"}]}"#,
            "date"
        ),
        (
            #"{"title":"T","date":"2024-06-15","date_precision":"month","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"}]}"#,
            "date"
        ),
        (
            #"{"title":"T","date":"2024-06-04","kind":"party","participants":[{"actor_id":"hun-manet","role":"host"}]}"#,
            "kind"
        ),
        (
            #"{"title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"boss"}]}"#,
            "participants[0].role"
        ),
        (
            #"{"title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"}],"topics":["golf"]}"#,
            "topics[0]"
        ),
        (
            #"{"title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"}],"location":{"town":"X"}}"#,
            "location.town"
        ),
        (
            #"{"title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"hun-manet","role":"host"}],"source_ids":["nope"]}"#,
            "source_ids[0]"
        ),
    ])
    func validation(body: String, field: String) throws {
        try Self.withActors { client, _ in
            let response = try client.send("POST", "/v1/meetings", json: body)
            #expect(response.status == 422, "\(response.bodyString)")
            let fields = (try response.jsonObject()["errors"] as? [[String: Any]])?.compactMap {
                $0["field"] as? String
            }
            #expect(fields?.contains(field) == true, "\(response.bodyString)")
        }
    }

    @Test func filters() throws {
        try Self.withActors { client, _ in
            let meetings = [
                Self.meeting("m1", date: "2024-06-04"),
                Self.meeting(
                    "m2", date: "2024-01-10", participants: [("hun-manet", "host"), ("tea-seiha", "delegate")],
                    kind: "call", topics: ["trade"]),
                Self.meeting(
                    "m3", date: "2023-12-31", participants: [("lloyd-austin", "host"), ("un", "observer")],
                    kind: "summit", topics: ["peacekeeping", "demining"]),
            ]
            for meeting in meetings { #expect(try client.send("POST", "/v1/meetings", json: meeting).status == 201) }
            #expect(try Self.ids(client.get("/v1/meetings")) == ["m1", "m2", "m3"])
            #expect(try Self.ids(client.get("/v1/meetings?sort=date")) == ["m3", "m2", "m1"])
            #expect(try Self.ids(client.get("/v1/meetings?country=KH")) == ["m1", "m2"])
            #expect(try Self.ids(client.get("/v1/meetings?country=US&country=kh")) == ["m1"])
            #expect(try Self.ids(client.get("/v1/meetings?actor=lloyd-austin")) == ["m1", "m3"])
            #expect(try Self.ids(client.get("/v1/meetings?actor=lloyd-austin&actor=un")) == ["m3"])
            #expect(try Self.ids(client.get("/v1/meetings?kind=call,summit")) == ["m2", "m3"])
            #expect(try Self.ids(client.get("/v1/meetings?topic=demining")) == ["m1", "m3"])
            #expect(try Self.ids(client.get("/v1/meetings?from=2024-01-01")) == ["m1", "m2"])
            #expect(try Self.ids(client.get("/v1/meetings?from=2024-01-01&to=2024-01-10")) == ["m2"])
            #expect(try Self.ids(client.get("/v1/meetings?q=talks%20m2")) == ["m2"])
            for bad in [
                "country=ZZ", "kind=party", "topic=golf", "from=2024-13-01", "from=2024-02-01&to=2024-01-01",
                "sort=name", "limit=0", "limit=501", "cursor=abc", "colour=red", "from=2024-01-01&from=2024-02-01",
            ] {
                let response = try client.get("/v1/meetings?\(bad)")
                #expect(response.status == 400, "\(bad) → \(response.status)")
            }
        }
    }

    /// SPEC: paging returns every record exactly once, in order, even among equal dates.
    @Test func pagingOneHundredTwentyEqualDatesAtLimitSeven() throws {
        try Self.withActors { client, app in
            try app.store.write { db in
                for index in 0..<120 {
                    let record = StoredRecord(
                        id: String(format: "same-day-%03d", (index * 53) % 120),
                        content: MeetingContent(
                            title: "Same day", date: "2024-06-04", datePrecision: "day", kind: "meeting",
                            locationCity: nil, locationCountry: nil,
                            participants: [.init(actorID: "hun-manet", role: "host")], topics: [], summary: nil,
                            sourceIDs: []),
                        createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", version: 1)
                    try Meetings.insert(record, in: db)
                }
            }
            for (query, ascending) in [("country=KH&", false), ("", true)] {
                var seen: [String] = []
                var target = "/v1/meetings?\(query)limit=7\(ascending ? "&sort=date" : "")"
                for _ in 0..<40 {
                    let page = try client.get(target)
                    #expect(page.status == 200)
                    let object = try page.jsonObject()
                    seen += try Self.ids(page)
                    guard let cursor = object["next_cursor"] as? String else { break }
                    target = "/v1/meetings?\(query)limit=7\(ascending ? "&sort=date" : "")&cursor=\(cursor)"
                }
                let expected = (0..<120).map { String(format: "same-day-%03d", $0) }
                #expect(seen == (ascending ? expected : expected.reversed()), "\(query)")
            }
        }
    }

    @Test func csvJoinsListsWithSemicolons() throws {
        try Self.withActors { client, _ in
            _ = try client.send("POST", "/v1/meetings", json: Self.meeting("m1", topics: ["demining", "peacekeeping"]))
            let csv = try client.get("/v1/meetings", headers: [("Accept", "text/csv")])
            #expect(csv["Content-Type"]?.hasPrefix("text/csv") == true)
            let lines = csv.bodyString.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 2)
            #expect(
                lines[1].hasPrefix(
                    "m1,Talks m1,2024-06-04,day,meeting,Phnom Penh,KH,lloyd-austin:guest;hun-manet:host,KH;US,demining;peacekeeping,"
                ))
        }
    }
}
