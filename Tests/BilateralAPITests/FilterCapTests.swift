import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// "Hold under hostile load": 992 repeated `actor=` parameters, within the 8 KiB request line,
/// answered 500 ("Expression tree is too large (maximum depth 1000)"). A filter takes at most
/// `QueryParameters.maxValues` values; beyond it a 400 names the parameter, and every filter at
/// its cap at once still builds a query SQLite accepts.
@Suite("Repeated filter values are capped")
struct FilterCapTests {
    static let cap = QueryParameters.maxValues

    /// `name=v0&name=v1&…`, one parameter per value.
    static func repeated(_ name: String, _ values: [String]) -> String {
        values.map { "\(name)=\($0)" }.joined(separator: "&")
    }

    /// `count` values drawn in turn from `pool` (repeats allowed: the cap counts values given).
    static func values(_ count: Int, from pool: [String]) -> [String] {
        (0..<count).map { pool[$0 % pool.count] }
    }

    static let countries = Array(KnownCountries.codes.sorted().prefix(cap))
    static let ids = (0..<cap).map { "actor-\($0)" }

    /// One query per list: every filter of it that takes several values, each at the cap.
    static let everyFilterAtTheCap: [(String, String)] = [
        (
            "/v1/meetings",
            [
                repeated("country", countries), repeated("actor", ids),
                repeated("kind", values(cap, from: RecordSchema.kinds)),
                repeated("topic", values(cap, from: RecordSchema.areas)),
            ].joined(separator: "&") + "&from=2020-01-01&to=2030-01-01&q=trust"
        ),
        (
            "/v1/statements",
            [
                repeated("speaker", ids), repeated("country", countries),
                repeated("channel", values(cap, from: RecordSchema.channels)),
                repeated("topic", values(cap, from: RecordSchema.areas)),
            ].joined(separator: "&") + "&meeting=m&from=2020-01-01&to=2030-01-01&q=trust"
        ),
        (
            "/v1/initiatives",
            [
                repeated("country", countries), repeated("area", values(cap, from: RecordSchema.areas)),
                repeated("status", values(cap, from: RecordSchema.statuses)),
            ].joined(separator: "&") + "&from=2020-01-01&to=2030-01-01&q=trust"
        ),
        (
            "/v1/actors",
            [repeated("kind", values(cap, from: ["person", "organization"])), repeated("country", countries)]
                .joined(separator: "&") + "&q=hun"
        ),
        ("/v1/search", "q=trust&" + repeated("types", values(cap, from: SearchType.names))),
        ("/v1/relations/KH/US/timeline", repeated("types", values(cap, from: TimelineType.names))),
    ]

    @Test func nineHundredNinetyTwoActorsAreA400NotA500() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request(
                "GET", "/v1/meetings?" + Self.repeated("actor", Array(repeating: "a", count: 992)))
            #expect(response.status == 400, "\(response.bodyString.prefix(300))")
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(try response.firstErrorField() == "actor")
        }
    }

    @Test("every filter at its cap at once answers 200", arguments: everyFilterAtTheCap)
    func everyFilterAtItsCap(path: String, query: String) throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "\(path)?\(query)")
            #expect(response.status == 200, "\(response.bodyString.prefix(300))")
        }
    }

    @Test(
        "one value past the cap is a 400 naming the parameter",
        arguments: [
            ("/v1/meetings", "actor", ids + ["one-more"]),
            ("/v1/meetings", "country", countries + ["zz"]),
            ("/v1/meetings", "kind", values(cap + 1, from: RecordSchema.kinds)),
            ("/v1/meetings", "topic", values(cap + 1, from: RecordSchema.areas)),
            ("/v1/statements", "speaker", ids + ["one-more"]),
            ("/v1/statements", "channel", values(cap + 1, from: RecordSchema.channels)),
            ("/v1/initiatives", "status", values(cap + 1, from: RecordSchema.statuses)),
            ("/v1/actors", "country", countries + ["KH"]),
            ("/v1/search", "types", values(cap + 1, from: SearchType.names)),
            ("/v1/export", "types", values(cap + 1, from: RecordExport.kinds)),
        ])
    func onePastTheCap(path: String, name: String, values: [String]) throws {
        try withAPIServer { server, _, _ in
            let extra = path == "/v1/search" ? "q=trust&" : ""
            let response = try server.request("GET", "\(path)?\(extra)\(Self.repeated(name, values))")
            #expect(response.status == 400, "\(response.bodyString.prefix(300))")
            #expect(try response.firstErrorField() == name)
            let detail = try response.jsonObject()["detail"] as? String
            #expect(detail == "\(name): give at most \(Self.cap) values")
        }
    }

    /// Comma-separated values count one by one, like repeated parameters.
    @Test func commaSeparatedValuesCountToo() throws {
        try withAPIServer { server, _, _ in
            let atCap = try server.request("GET", "/v1/meetings?actor=" + Self.ids.joined(separator: ","))
            #expect(atCap.status == 200)
            let past = try server.request("GET", "/v1/meetings?actor=" + (Self.ids + ["x"]).joined(separator: ","))
            #expect(past.status == 400)
            #expect(try past.firstErrorField() == "actor")
        }
    }

    static func meetingIDs(_ client: WritingClient, _ query: String) throws -> [String] {
        let page = try client.get("/v1/meetings?\(query)").jsonObject()
        return ((page["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    /// The AND-ed sets (countries, actors) match as before: a record must have every value.
    @Test func everyActorIsStillRequired() throws {
        try WritingClient.with { client, _ throws in
            for body in [
                #"{"id":"a","kind":"person","name":"A","country":"KH"}"#,
                #"{"id":"b","kind":"person","name":"B","country":"US"}"#,
                #"{"id":"c","kind":"person","name":"C","country":"TH"}"#,
            ] {
                #expect(try client.send("POST", "/v1/actors", json: body).status == 201)
            }
            let meeting =
                #"{"id":"m","title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"a","role":"host"},{"actor_id":"b","role":"guest"}]}"#
            #expect(try client.send("POST", "/v1/meetings", json: meeting).status == 201)
            #expect(try Self.meetingIDs(client, "actor=a&actor=b") == ["m"])
            #expect(try Self.meetingIDs(client, "actor=a&actor=b&actor=a") == ["m"])
            #expect(try Self.meetingIDs(client, "actor=a&actor=c") == [String]())
            #expect(try Self.meetingIDs(client, "country=KH&country=US") == ["m"])
            #expect(try Self.meetingIDs(client, "country=US&country=KH&country=US") == ["m"])
            #expect(try Self.meetingIDs(client, "country=KH&country=US&country=TH") == [String]())
            #expect(try Self.meetingIDs(client, "actor=b&country=KH&country=US") == ["m"])
        }
    }
}
