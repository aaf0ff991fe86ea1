import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// The relation endpoints on generated records of several country pairs, against counts the
/// test computes itself from what it generated — and against the collection endpoints.
@Suite("Relations: generated pairs, counted independently")
struct RelationGeneratedTests {
    struct Event: Hashable {
        var date: String
        var type: String
        var id: String
        var index: Int?
    }

    /// What the test generated, and what it expects of each pair.
    struct World {
        var lines: [String] = []
        var countries: [String: Set<String>] = [:]  // record "type/id" -> its countries
        var events: [Event: Set<String>] = [:]  // each timeline event -> its record's countries

        func pairs() -> Set<[String]> {
            var pairs: Set<[String]> = []
            for codes in countries.values {
                for a in codes { for b in codes where a < b { pairs.insert([a, b]) } }
            }
            return pairs
        }

        func count(_ type: String, _ a: String, _ b: String) -> Int {
            countries.filter { $0.key.hasPrefix(type + "/") && $0.value.isSuperset(of: [a, b]) }.count
        }

        func timeline(_ a: String, _ b: String, types: Set<String>? = nil) -> [Event] {
            events.filter { $0.value.isSuperset(of: [a, b]) && (types?.contains($0.key.type) ?? true) }.keys.sorted {
                let rank = ["meeting": 0, "statement": 1, "status_change": 2]
                return ($0.date, rank[$0.type] ?? 9, $0.id, $0.index ?? 0) < (
                    $1.date, rank[$1.type] ?? 9, $1.id, $1.index ?? 0
                )
            }
        }
    }

    static let codes = ["US", "KH", "VN", "TH", "FR", "JP"]

    static func generate() -> World {
        var rng = SeededGenerator(seed: 42)
        var world = World()
        var actorCountry: [String: String] = [:]
        for code in codes {
            for i in 0..<3 {
                let id = "\(code.lowercased())-\(i)"
                actorCountry[id] = code
                world.lines.append(
                    #"{"type":"actor","id":"\#(id)","kind":"person","name":"Person \#(i) of \#(code)","country":"\#(code)"}"#
                )
            }
        }
        // Pairs are drawn from a few favourites so some share much and some little.
        let favourites = [["US", "KH"], ["US", "VN"], ["KH", "TH"], ["FR", "JP"], ["US", "JP"]]
        func date() -> String {
            "20\(Int.random(in: 20...24, using: &rng))-\(String(format: "%02d", Int.random(in: 1...12, using: &rng)))-\(String(format: "%02d", Int.random(in: 1...28, using: &rng)))"
        }
        func person(_ code: String) -> String { "\(code.lowercased())-\(Int.random(in: 0..<3, using: &rng))" }
        var meetingCountries: [String: Set<String>] = [:]
        for i in 0..<60 {
            var codes = favourites[Int.random(in: 0..<favourites.count, using: &rng)]
            if i % 7 == 0 { codes.append(Self.codes[Int.random(in: 0..<Self.codes.count, using: &rng)]) }
            let people = Array(Set(codes.map(person)))
            let id = "m\(i)"
            let d = date()
            let participants = people.enumerated().map {
                #"{"actor_id":"\#($1)","role":"\#($0 == 0 ? "host" : "guest")"}"#
            }
            world.lines.append(
                #"{"type":"meeting","id":"\#(id)","title":"Meeting \#(i)","date":"\#(d)","kind":"meeting","participants":[\#(participants.joined(separator: ","))],"topics":["trade"]}"#
            )
            let set = Set(people.compactMap { actorCountry[$0] })
            meetingCountries[id] = set
            world.countries["meeting/\(id)"] = set
            world.events[Event(date: d, type: "meeting", id: id, index: nil)] = set
        }
        for i in 0..<90 {
            let pair = favourites[Int.random(in: 0..<favourites.count, using: &rng)]
            let speaker = person(pair[0])
            let id = "s\(i)"
            let d = date()
            var set: Set<String> = [pair[0], pair[1]]
            var meeting = "null"
            if i % 5 == 0 {
                let m = "m\(Int.random(in: 0..<60, using: &rng))"
                meeting = "\"\(m)\""
                set.formUnion(meetingCountries[m] ?? [])
            }
            world.lines.append(
                #"{"type":"statement","id":"\#(id)","speaker_id":"\#(speaker)","date":"\#(d)","channel":"speech","text":"Statement \#(i)","about":["\#(pair[1])"],"meeting_id":\#(meeting)}"#
            )
            world.countries["statement/\(id)"] = set
            world.events[Event(date: d, type: "statement", id: id, index: nil)] = set
        }
        for i in 0..<20 {
            let pair = favourites[i % favourites.count]
            let id = "i\(i)"
            let dates = (0..<Int.random(in: 1...3, using: &rng)).map { _ in date() }
            let history = dates.map { #"{"status":"proposed","date":"\#($0)"}"# }.joined(separator: ",")
            world.lines.append(
                #"{"type":"initiative","id":"\#(id)","title":"Initiative \#(i)","area":"trade","countries":["\#(pair[0])","\#(pair[1])"],"status_history":[\#(history)]}"#
            )
            world.countries["initiative/\(id)"] = Set(pair)
            for (index, d) in dates.enumerated() {
                world.events[Event(date: d, type: "status_change", id: id, index: index)] = Set(pair)
            }
        }
        return world
    }

    static func events(_ items: [[String: Any]]) -> [Event] {
        items.map {
            Event(
                date: $0["date"] as? String ?? "", type: $0["type"] as? String ?? "", id: $0["id"] as? String ?? "",
                index: $0["history_index"] as? Int)
        }
    }

    static func withWorld<T>(_ body: (WritingClient, World) throws -> T) throws -> T {
        let world = generate()
        return try WritingClient.with { client, app in
            _ = try RecordImport.apply(Array(world.lines.joined(separator: "\n").utf8), to: app.store)
            return try body(client, world)
        }
    }

    @Test func countsAgreeWithTheTestAndWithTheCollections() throws {
        try Self.withWorld { client, world in
            let server = client.server
            let listed = try RelationSampleTests.all(server, "/v1/relations?limit=3")
            #expect(Set(listed.compactMap { $0["countries"] as? [String] }) == world.pairs())
            let totals = listed.map { $0["total"] as? Int ?? 0 }
            #expect(totals == totals.sorted(by: >), "most active first")

            for pair in world.pairs().sorted(by: { $0.joined() < $1.joined() }) {
                let (a, b) = (pair[0], pair[1])
                let summary = try server.request("GET", "/v1/relations/\(b.lowercased())/\(a)")
                #expect(summary.status == 200)
                let object = try summary.jsonObject()
                for (field, type, collection) in [
                    ("meetings", "meeting", "meetings"), ("statements", "statement", "statements"),
                    ("initiatives", "initiative", "initiatives"),
                ] {
                    let expected = world.count(type, a, b)
                    #expect(object[field] as? Int == expected, "\(a)-\(b) \(field)")
                    let fromCollection = try RelationSampleTests.all(
                        server, "/v1/\(collection)?country=\(a)&country=\(b)&limit=500")
                    #expect(fromCollection.count == expected, "\(a)-\(b) /v1/\(collection)")
                }
                let events = world.timeline(a, b)
                #expect(object["status_changes"] as? Int == events.filter { $0.type == "status_change" }.count)
                #expect(object["first_date"] as? String == events.first?.date)
                #expect(object["last_date"] as? String == events.last?.date)
                let inList = listed.first { $0["countries"] as? [String] == pair }
                #expect(inList?["total"] as? Int == object["total"] as? Int)
            }
        }
    }

    @Test func listAndTopListsAgreeWithFreshCounts() throws {
        try Self.withWorld { client, _ in try Self.listAgreesWithSummariesAndCollections(client.server) }
    }

    @Test func timelinePagesNeverSkipOrRepeat() throws {
        try Self.withWorld { client, world in
            let server = client.server
            let expected = world.timeline("KH", "US")
            #expect(expected.count > 30)
            for limit in [1, 6, 50] {
                let asc = try RelationSampleTests.all(server, "/v1/relations/us/kh/timeline?order=asc&limit=\(limit)")
                #expect(Self.events(asc) == expected, "asc, limit \(limit)")
                let desc = try RelationSampleTests.all(server, "/v1/relations/KH/US/timeline?limit=\(limit)")
                #expect(Self.events(desc) == expected.reversed(), "desc, limit \(limit)")
            }
            let some = try RelationSampleTests.all(
                server,
                "/v1/relations/US/KH/timeline?types=statement,status_change&from=2021-01-01&to=2023-06-30&limit=4"
            )
            let filtered = world.timeline("KH", "US", types: ["statement", "status_change"])
                .filter { $0.date >= "2021-01-01" && $0.date <= "2023-06-30" }
            #expect(Self.events(some) == filtered.reversed())
        }
    }

    @Test func activityAddsUpToTheTimeline() throws {
        try Self.withWorld { client, world in
            let server = client.server
            let events = world.timeline("US", "VN")
            for interval in ["month", "quarter", "year"] {
                let response = try server.request("GET", "/v1/relations/VN/US/activity?interval=\(interval)")
                #expect(response.status == 200)
                let periods = try RelationSampleTests.data(response)
                #expect(periods.map { $0["total"] as? Int ?? 0 }.reduce(0, +) == events.count, "\(interval)")
                let meetings = periods.map { $0["meetings"] as? Int ?? 0 }.reduce(0, +)
                #expect(meetings == events.filter { $0.type == "meeting" }.count)
                let labels = periods.compactMap { $0["period"] as? String }
                #expect(labels == labels.sorted() && Set(labels).count == labels.count)
            }
            let years = try RelationSampleTests.data(
                try server.request("GET", "/v1/relations/US/VN/activity?interval=year&from=2018-01-01&to=2026-12-31"))
            #expect(years.count == 9)
            for year in years {
                let label = year["period"] as? String ?? ""
                let expected = events.filter { $0.date.hasPrefix(label) }.count
                #expect(year["total"] as? Int == expected, "\(label)")
            }
        }
    }

    @Test func writesKeepThePairIndexesExact() throws {
        try Self.withWorld { client, world in
            let server = client.server
            func count(_ field: String, _ pair: String = "US/KH") throws -> Int? {
                try server.request("GET", "/v1/relations/\(pair)").jsonObject()[field] as? Int
            }
            let meetings = world.count("meeting", "KH", "US")
            let statements = world.count("statement", "KH", "US")
            // Move one KH person to TH: every meeting and statement they are part of changes pair.
            #expect(
                try client.send("PATCH", "/v1/actors/kh-0", json: #"{"country":"TH"}"#).status == 200)
            let afterMeetings = try #require(try count("meetings"))
            let fromCollection = try RelationSampleTests.all(server, "/v1/meetings?country=US&country=KH&limit=500")
            #expect(afterMeetings == fromCollection.count)
            #expect(afterMeetings <= meetings)
            let thStatements = try RelationSampleTests.all(server, "/v1/statements?country=US&country=TH&limit=500")
            #expect(try count("statements", "TH/US") == thStatements.count)
            #expect(
                try client.send("PATCH", "/v1/actors/kh-0", json: #"{"country":"KH"}"#).status == 200)
            #expect(try count("meetings") == meetings)
            #expect(try count("statements") == statements)

            // Delete a meeting and change a statement's date: counts and the timeline follow.
            let first = try #require(world.timeline("KH", "US").first { $0.type == "meeting" })
            #expect(try client.send("DELETE", "/v1/meetings/\(first.id)").status != 500)
            let deleted = try server.request("GET", "/v1/meetings/\(first.id)").status == 404
            #expect(try count("meetings") == meetings - (deleted ? 1 : 0))
            let summary = try server.request("GET", "/v1/relations/US/KH").jsonObject()
            let top = try #require(summary["top_actors"] as? [[String: Any]])
            #expect(!top.isEmpty)
            #expect(
                try client.send("PATCH", "/v1/statements/s0", json: #"{"date":"1999-01-01"}"#).status == 200)
            let pairOfS0 = Array(world.countries["statement/s0"] ?? []).sorted()
            let oldest = try RelationSampleTests.data(
                try server.request("GET", "/v1/relations/\(pairOfS0[0])/\(pairOfS0[1])/timeline?order=asc&limit=1"))
            #expect(oldest.first?["id"] as? String == "s0")
            #expect(oldest.first?["date"] as? String == "1999-01-01")

            // Initiatives: a status change, a replacement with other countries, a delete.
            #expect(
                try client.send(
                    "POST", "/v1/initiatives/i0/status-changes", json: #"{"status":"agreed","date":"2024-01-01"}"#
                )
                .status == 201)
            #expect(
                try client.send(
                    "PUT", "/v1/initiatives/i1",
                    json:
                        #"{"title":"Moved","area":"health","countries":["FR","KH","US"],"status":"active","status_date":"2023-01-01"}"#
                ).status == 200)
            #expect(try client.send("DELETE", "/v1/initiatives/i2").status == 204)
            let patched = try client.send("PATCH", "/v1/meetings/m3", json: #"{"topics":["health","trade"]}"#)
            #expect(patched.status == 200 || (patched.status == 404 && first.id == "m3"))
            try Self.listAgreesWithSummariesAndCollections(server)
        }
    }

    /// The counters behind `/v1/relations` and `/v1/areas` against what is counted afresh.
    static func listAgreesWithSummariesAndCollections(_ server: HTTPServer) throws {
        let listed = try RelationSampleTests.all(server, "/v1/relations?limit=500")
        for relation in listed {
            let codes = relation["countries"] as? [String] ?? []
            let summary = try server.request("GET", "/v1/relations/\(codes[0])/\(codes[1])").jsonObject()
            for field in [
                "total", "meetings", "statements", "initiatives", "status_changes", "first_date", "last_date",
            ] {
                #expect("\(relation[field] ?? "-")" == "\(summary[field] ?? "-")", "\(codes) \(field)")
            }
            let both = "country=\(codes[0])&country=\(codes[1])&limit=500"
            let initiatives = try RelationSampleTests.all(server, "/v1/initiatives?\(both)")
            let history = initiatives.map { ($0["status_history"] as? [Any])?.count ?? 0 }.reduce(0, +)
            #expect(relation["status_changes"] as? Int == history, "\(codes)")

            // The top lists, counted afresh from the collections.
            let meetings = try RelationSampleTests.all(server, "/v1/meetings?\(both)")
            let statements = try RelationSampleTests.all(server, "/v1/statements?\(both)")
            var topics: [String: Int] = [:]
            var actors: [String: Int] = [:]
            for record in meetings + statements {
                for topic in Set(record["topics"] as? [String] ?? []) { topics[topic, default: 0] += 1 }
            }
            for initiative in initiatives { topics[initiative["area"] as? String ?? "", default: 0] += 1 }
            for meeting in meetings {
                for participant in meeting["participants"] as? [[String: Any]] ?? [] {
                    actors[participant["actor_id"] as? String ?? "", default: 0] += 1
                }
            }
            for statement in statements { actors[statement["speaker_id"] as? String ?? "", default: 0] += 1 }
            func top(_ counts: [String: Int]) -> [String] {
                counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10).map { "\($0.key)=\($0.value)" }
            }
            let summaryTopics = (summary["top_topics"] as? [[String: Any]] ?? []).map {
                "\($0["topic"] as? String ?? "")=\($0["count"] as? Int ?? -1)"
            }
            let summaryActors = (summary["top_actors"] as? [[String: Any]] ?? []).map {
                "\($0["id"] as? String ?? "")=\($0["total"] as? Int ?? -1)"
            }
            #expect(summaryTopics == top(topics), "\(codes)")
            #expect(summaryActors == top(actors), "\(codes)")
        }
        let areas = try RelationSampleTests.data(try server.request("GET", "/v1/areas"))
        for area in areas where ["trade", "health"].contains(area["area"] as? String) {
            let name = area["area"] as? String ?? ""
            for (field, collection, filter) in [
                ("initiatives", "initiatives", "area"), ("meetings", "meetings", "topic"),
                ("statements", "statements", "topic"),
            ] {
                let counted = try RelationSampleTests.all(server, "/v1/\(collection)?\(filter)=\(name)&limit=500").count
                #expect(area[field] as? Int == counted, "\(name) \(field)")
            }
        }
    }
}
