import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

@Suite("Initiatives: status history, status changes, links, filters")
struct InitiativeTests {
    static func withWorld<T>(_ body: (WritingClient) throws -> T) throws -> T {
        try WritingClient.with { client, _ in
            for actor in [
                #"{"id":"hun-sen","kind":"person","name":"Hun Sen","country":"KH"}"#,
                #"{"id":"lloyd-austin","kind":"person","name":"Lloyd Austin","country":"US"}"#,
            ] {
                #expect(try client.send("POST", "/v1/actors", json: actor).status == 201)
            }
            let meeting =
                #"{"id":"m1","title":"Austin meets Hun Sen","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"lloyd-austin","role":"guest"},{"actor_id":"hun-sen","role":"host"}]}"#
            #expect(try client.send("POST", "/v1/meetings", json: meeting).status == 201)
            let statement =
                #"{"id":"s1","speaker_id":"hun-sen","date":"2024-06-04","channel":"social_media","text":"The US will reopen ..."}"#
            #expect(try client.send("POST", "/v1/statements", json: statement).status == 201)
            return try body(client)
        }
    }

    static let demining = #"""
        {"id":"uxo-clearance-us-kh","title":"Demining and UXO clearance training","area":"demining","countries":["KH","US"],
         "status_history":[{"status":"under_discussion","date":"2024-06-04","meeting_id":"m1"}],"meeting_ids":["m1"],"statement_ids":["s1"]}
        """#

    static func ids(_ response: RawResponse) throws -> [String] {
        ((try response.jsonObject()["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test func statusIsTheLatestEntryAndStatusChangesAppend() throws {
        try Self.withWorld { client in
            let created = try client.send("POST", "/v1/initiatives", json: Self.demining)
            #expect(created.status == 201)
            #expect(try created.jsonObject()["status"] as? String == "under_discussion")

            let agreed = try client.send(
                "POST", "/v1/initiatives/uxo-clearance-us-kh/status-changes",
                json: #"{"status":"agreed","date":"2024-09-01","statement_id":"s1","note":"Training resumes"}"#)
            #expect(agreed.status == 201)
            #expect(agreed["Location"] == "/v1/initiatives/uxo-clearance-us-kh")
            let object = try agreed.jsonObject()
            #expect(object["status"] as? String == "agreed")
            #expect((object["status_history"] as? [Any])?.count == 2)
            #expect(object["version"] as? Int == 2)

            // An entry dated earlier does not become the status, wherever it sits in the list.
            let earlier = try client.send(
                "POST", "/v1/initiatives/uxo-clearance-us-kh/status-changes",
                json: #"{"status":"proposed","date":"2024-01-01"}"#)
            #expect(try earlier.jsonObject()["status"] as? String == "agreed")
            #expect(try Self.ids(client.get("/v1/initiatives?status=agreed")) == ["uxo-clearance-us-kh"])
            #expect(try Self.ids(client.get("/v1/initiatives?status=proposed")) == [])

            let unknown = try client.send(
                "POST", "/v1/initiatives/uxo-clearance-us-kh/status-changes",
                json: #"{"status":"agreed","meeting_id":"m9"}"#)
            #expect(unknown.status == 422)
            #expect(try unknown.firstErrorField() == "status_history[3].meeting_id")
            #expect(
                try client.send("POST", "/v1/initiatives/nope/status-changes", json: #"{"status":"agreed"}"#).status
                    == 404)
            #expect(
                try client.send(
                    "POST", "/v1/initiatives/uxo-clearance-us-kh/status-changes", json: #"{"status":"won"}"#
                )
                .status == 422)
        }
    }

    @Test func statusMayStandInForTheHistory() throws {
        try Self.withWorld { client in
            let created = try client.send(
                "POST", "/v1/initiatives",
                json:
                    #"{"title":"Peacekeeping","area":"peacekeeping","countries":["US","KH"],"status":"proposed","status_date":"2024-06-04"}"#
            )
            #expect(created.status == 201)
            let history = try created.jsonObject()["status_history"] as? [[String: Any]]
            #expect(history?.first?["status"] as? String == "proposed")
            #expect(history?.first?["date"] as? String == "2024-06-04")
            let none = try client.send(
                "POST", "/v1/initiatives", json: #"{"title":"X","area":"trade","countries":["US","KH"]}"#)
            #expect(none.status == 422)
            #expect(try none.firstErrorField() == "status_history")
        }
    }

    @Test func theMeetingLinkIsOneRelationSeenFromBothSides() throws {
        try Self.withWorld { client in
            _ = try client.send("POST", "/v1/initiatives", json: Self.demining)
            #expect(
                try client.get("/v1/meetings/m1").jsonObject()["initiative_ids"] as? [String] == ["uxo-clearance-us-kh"]
            )
            let referenced = try client.send("DELETE", "/v1/statements/s1")
            #expect(referenced.status == 409)
            #expect(referenced.bodyString.contains("initiatives/uxo-clearance-us-kh"))
            #expect(try client.send("DELETE", "/v1/initiatives/uxo-clearance-us-kh").status == 204)
            #expect(try client.get("/v1/meetings/m1").jsonObject()["initiative_ids"] as? [String] == [])
        }
    }

    @Test(arguments: [
        (#"{"title":"X","area":"trade","countries":["KH"],"status":"proposed"}"#, "countries"),
        (#"{"title":"X","area":"trade","countries":["KH","KH"],"status":"proposed"}"#, "countries[1]"),
        (#"{"title":"X","area":"golf","countries":["KH","US"],"status":"proposed"}"#, "area"),
        (#"{"title":"X","area":"trade","countries":["KH","US"],"status_history":[]}"#, "status_history"),
        (
            #"{"title":"X","area":"trade","countries":["KH","US"],"status_history":[{"status":"agreed"}]}"#,
            "status_history[0].date"
        ),
        (
            #"{"title":"X","area":"trade","countries":["KH","US"],"status":"proposed","start_date":"2024-05-01","end_date":"2024-04-01"}"#,
            "end_date"
        ),
        (
            #"{"title":"X","area":"trade","countries":["KH","US"],"status":"proposed","statement_ids":["nope"]}"#,
            "statement_ids[0]"
        ),
    ])
    func validation(body: String, field: String) throws {
        try Self.withWorld { client in
            let response = try client.send("POST", "/v1/initiatives", json: body)
            #expect(response.status == 422, "\(response.bodyString)")
            let fields = (try response.jsonObject()["errors"] as? [[String: Any]])?.compactMap {
                $0["field"] as? String
            }
            #expect(fields?.contains(field) == true, "\(response.bodyString)")
        }
    }

    @Test func filters() throws {
        try Self.withWorld { client in
            for body in [
                Self.demining,
                #"{"id":"trade-us-kh","title":"Trade talks","area":"trade","countries":["US","KH"],"status_history":[{"status":"proposed","date":"2023-03-01"},{"status":"active","date":"2024-02-01"}]}"#,
                #"{"id":"fr-kh","title":"Culture","area":"culture","countries":["FR","KH"],"status":"agreed","status_date":"2022-01-01"}"#,
            ] {
                #expect(try client.send("POST", "/v1/initiatives", json: body).status == 201)
            }
            #expect(try Self.ids(client.get("/v1/initiatives")) == ["uxo-clearance-us-kh", "trade-us-kh", "fr-kh"])
            #expect(
                try Self.ids(client.get("/v1/initiatives?sort=date")) == [
                    "fr-kh", "trade-us-kh", "uxo-clearance-us-kh",
                ])
            #expect(
                try Self.ids(client.get("/v1/initiatives?country=KH&country=US")) == [
                    "uxo-clearance-us-kh", "trade-us-kh",
                ])
            #expect(try Self.ids(client.get("/v1/initiatives?area=trade,culture")) == ["trade-us-kh", "fr-kh"])
            #expect(
                try Self.ids(client.get("/v1/initiatives?status=under_discussion&area=demining")) == [
                    "uxo-clearance-us-kh"
                ])
            // from/to: any status change in range, not just the current one.
            #expect(try Self.ids(client.get("/v1/initiatives?from=2023-01-01&to=2023-12-31")) == ["trade-us-kh"])
            #expect(try Self.ids(client.get("/v1/initiatives?q=culture")) == ["fr-kh"])
            for bad in ["status=won", "area=golf", "country=ZZ", "sort=name", "to=2020-02-30"] {
                #expect(try client.get("/v1/initiatives?\(bad)").status == 400, "\(bad)")
            }
            let csv = try client.get("/v1/initiatives?format=csv&area=trade").bodyString
            #expect(csv.contains("\r\ntrade-us-kh,Trade talks,trade,US;KH,active,2024-02-01,"))
        }
    }
}

@Suite("The sample dataset")
struct SampleDataTests {
    @Test func loadsIntoAnEmptyDatabaseOnlyAndTellsTheStory() throws {
        try withAPIServer { server, app, _ in
            #expect(try SampleData.loadIfEmpty(into: app.store) == .loaded(records: 43))
            #expect(try SampleData.loadIfEmpty(into: app.store) == .skipped)

            func data(_ target: String) throws -> [[String: Any]] {
                let response = try server.request("GET", target)
                #expect(response.status == 200, "\(target)")
                return (try response.jsonObject()["data"] as? [[String: Any]]) ?? []
            }
            let meetings = try data("/v1/meetings?country=US&country=KH&from=2024-06-01")
            #expect(
                Set(meetings.compactMap { $0["id"] as? String })
                    == ["austin-manet-2024-06-04", "austin-hun-sen-2024-06-04", "austin-seiha-2024-06-04"])
            #expect(meetings.allSatisfy { $0["countries"] as? [String] == ["KH", "US"] })
            let hunSen = try data("/v1/statements?speaker=hun-sen&limit=500")
            #expect(!hunSen.isEmpty)
            #expect(hunSen.contains { ($0["text"] as? String)?.contains("mutual trust") == true })
            let quotes = try data("/v1/statements?limit=500").filter { $0["paraphrase"] as? Bool == false }
            #expect(!quotes.isEmpty)
            let demining = try data("/v1/initiatives?status=under_discussion&area=demining")
            #expect(demining.compactMap { $0["id"] as? String } == ["uxo-clearance-us-kh"])
            // Every initiative's history points at the meeting or statement it comes from.
            for initiative in try data("/v1/initiatives?limit=500") {
                let history = (initiative["status_history"] as? [[String: Any]]) ?? []
                #expect(!history.isEmpty)
                #expect(history.allSatisfy { !($0["meeting_id"] is NSNull) || !($0["statement_id"] is NSNull) })
            }
        }
    }

    /// Importing the same lines twice changes nothing the second time (SPEC, Bulk).
    @Test func reimportingTheSampleLeavesEveryRecordUnchanged() throws {
        try withStore { pool, _ in
            let sample = Array(try BundledResource.data("sample.ndjson"))
            #expect(
                try RecordImport.apply(sample, to: pool) == RecordImport.Counts(created: 43, updated: 0, unchanged: 0))
            #expect(
                try RecordImport.apply(sample, to: pool) == RecordImport.Counts(created: 0, updated: 0, unchanged: 43))
        }
    }

    @Test func aBadLineWritesNothingAndNamesTheLine() throws {
        try withStore { pool, _ in
            let lines = """
                {"type":"actor","id":"a","kind":"person","name":"A","country":"KH"}
                {"type":"meeting","id":"m","title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"ghost","role":"host"}]}

                {"type":"planet","id":"p"}
                not json
                """
            do {
                _ = try RecordImport.apply(Array(lines.utf8), to: pool)
                Issue.record("the batch should fail")
            } catch let failure as RecordImport.Failure {
                #expect(Set(failure.errors.map(\.line)) == [2, 4, 5])
                #expect(failure.errors.first { $0.line == 2 }?.errors.first?.field == "participants[0].actor_id")
            }
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM actors")?.int } == 0)
        }
    }
}
