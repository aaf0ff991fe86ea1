import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

@Suite("Statements: derived speaker and countries, references, filters")
struct StatementTests {
    static func statement(
        _ id: String, speaker: String = "hun-sen", date: String = "2024-06-04", channel: String = "social_media",
        meeting: String? = nil, about: [String] = ["US"], text: String = "We need to find ways to build more trust."
    ) -> String {
        let meetingField = meeting.map { #""\#($0)""# } ?? "null"
        let aboutList = about.map { "\"\($0)\"" }.joined(separator: ",")
        return
            #"{"id":"\#(id)","speaker_id":"\#(speaker)","date":"\#(date)","channel":"\#(channel)","text":"\#(text)","meeting_id":\#(meetingField),"about":[\#(aboutList)],"topics":["defense_dialogue"]}"#
    }

    static func withWorld<T>(_ body: (WritingClient) throws -> T) throws -> T {
        try WritingClient.with { client, _ in
            for actor in [
                #"{"id":"hun-sen","kind":"person","name":"Hun Sen","country":"KH"}"#,
                #"{"id":"lloyd-austin","kind":"person","name":"Lloyd Austin","country":"US"}"#,
                #"{"id":"pat-ryder","kind":"person","name":"Pat Ryder","country":"US"}"#,
                #"{"id":"fr-minister","kind":"person","name":"A French minister","country":"FR"}"#,
            ] {
                #expect(try client.send("POST", "/v1/actors", json: actor).status == 201)
            }
            let meeting =
                #"{"id":"m1","title":"Austin meets Hun Sen","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"lloyd-austin","role":"guest"},{"actor_id":"hun-sen","role":"host"}]}"#
            #expect(try client.send("POST", "/v1/meetings", json: meeting).status == 201)
            return try body(client)
        }
    }

    static func ids(_ response: RawResponse) throws -> [String] {
        ((try response.jsonObject()["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test func speakerAndCountriesAreDerived() throws {
        try Self.withWorld { client in
            let created = try client.send("POST", "/v1/statements", json: Self.statement("s1", about: ["FR"]))
            #expect(created.status == 201)
            let object = try created.jsonObject()
            #expect((object["speaker"] as? [String: Any])?["name"] as? String == "Hun Sen")
            #expect(object["countries"] as? [String] == ["FR", "KH"])
            #expect(object["paraphrase"] as? Bool == false)

            let atMeeting = try client.send(
                "POST", "/v1/statements", json: Self.statement("s2", speaker: "pat-ryder", meeting: "m1", about: []))
            #expect(try atMeeting.jsonObject()["countries"] as? [String] == ["KH", "US"])
            // A participant's new country reaches the meeting and, through it, the statement.
            #expect(try client.send("PATCH", "/v1/actors/hun-sen", json: #"{"country":"TH"}"#).status == 200)
            #expect(try client.get("/v1/statements/s2").jsonObject()["countries"] as? [String] == ["TH", "US"])
            #expect(try client.get("/v1/statements/s1").jsonObject()["countries"] as? [String] == ["FR", "TH"])
            #expect(try Self.ids(client.get("/v1/statements?country=TH")) == ["s2", "s1"])
        }
    }

    @Test func referencedMeetingsAndSpeakersCannotBeDeleted() throws {
        try Self.withWorld { client in
            _ = try client.send("POST", "/v1/statements", json: Self.statement("s1", meeting: "m1"))
            let meeting = try client.send("DELETE", "/v1/meetings/m1")
            #expect(meeting.status == 409)
            #expect(meeting.bodyString.contains("statements/s1"))
            #expect(try client.send("DELETE", "/v1/actors/pat-ryder").status == 204)
            let speaker = try client.send("DELETE", "/v1/actors/hun-sen")
            #expect(speaker.status == 409)
            #expect(speaker.bodyString.contains("statements/s1"))
        }
    }

    @Test(arguments: [
        (#"{"speaker_id":"nobody","date":"2024-06-04","channel":"speech","text":"x"}"#, "speaker_id"),
        (#"{"speaker_id":"hun-sen","date":"2024-06-04","channel":"tweet","text":"x"}"#, "channel"),
        (#"{"speaker_id":"hun-sen","date":"2024-06-04","channel":"speech","text":""}"#, "text"),
        (
            #"{"speaker_id":"hun-sen","date":"2024-06-04","channel":"speech","text":"x","meeting_id":"m9"}"#,
            "meeting_id"
        ),
        (
            #"{"speaker_id":"hun-sen","date":"2024-06-04","channel":"speech","text":"x","language":"English"}"#,
            "language"
        ),
        (
            #"{"speaker_id":"hun-sen","date":"2024-06-04","channel":"speech","text":"x","paraphrase":"yes"}"#,
            "paraphrase"
        ),
        (#"{"speaker_id":"hun-sen","date":"2024-06-04","channel":"speech","text":"x","about":["XX"]}"#, "about[0]"),
        (
            #"{"speaker_id":"hun-sen","date":"2024-01-02","date_precision":"year","channel":"speech","text":"x"}"#,
            "date"
        ),
        (#"{"speaker_id":"hun-sen","channel":"speech","text":"x"}"#, "date"),
    ])
    func validation(body: String, field: String) throws {
        try Self.withWorld { client in
            let response = try client.send("POST", "/v1/statements", json: body)
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
                Self.statement("s1", date: "2024-06-04", meeting: "m1"),
                Self.statement(
                    "s2", speaker: "pat-ryder", date: "2024-06-03", channel: "press_statement", about: ["KH"]),
                Self.statement(
                    "s3", speaker: "fr-minister", date: "2023-05-01", channel: "speech", about: [],
                    text: "Nothing about anyone"),
            ] {
                #expect(try client.send("POST", "/v1/statements", json: body).status == 201)
            }
            #expect(try Self.ids(client.get("/v1/statements")) == ["s1", "s2", "s3"])
            #expect(try Self.ids(client.get("/v1/statements?speaker=hun-sen")) == ["s1"])
            #expect(try Self.ids(client.get("/v1/statements?speaker=hun-sen&speaker=pat-ryder")) == ["s1", "s2"])
            #expect(try Self.ids(client.get("/v1/statements?country=KH&country=US")) == ["s1", "s2"])
            #expect(try Self.ids(client.get("/v1/statements?country=FR")) == ["s3"])
            #expect(try Self.ids(client.get("/v1/statements?channel=speech,press_statement")) == ["s2", "s3"])
            #expect(try Self.ids(client.get("/v1/statements?meeting=m1")) == ["s1"])
            #expect(try Self.ids(client.get("/v1/statements?to=2024-06-03&sort=date")) == ["s3", "s2"])
            #expect(try Self.ids(client.get("/v1/statements?q=TRUST")) == ["s1", "s2"])
            for bad in ["channel=tweet", "country=XX", "speaker=-x", "meeting=", "topic=golf", "from=yesterday"] {
                #expect(try client.get("/v1/statements?\(bad)").status == 400, "\(bad)")
            }
            let csv = try client.get("/v1/statements?format=csv&speaker=pat-ryder").bodyString
            #expect(
                csv.contains(
                    "\r\ns2,pat-ryder,Pat Ryder,US,2024-06-03,day,press_statement,,We need to find ways to build more trust.,false,,,KH,KH;US,"
                ))
        }
    }
}
