import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// The relation endpoints on the bundled sample: the US–KH story of 4 June 2024.
@Suite("Relations: the sample's story, conventions, and every 400")
struct RelationSampleTests {
    static func withSample<T>(_ body: (HTTPServer) throws -> T) throws -> T {
        try withAPIServer { server, app, _ in
            _ = try SampleData.loadIfEmpty(into: app.store)
            return try body(server)
        }
    }

    static func data(_ response: RawResponse) throws -> [[String: Any]] {
        (try response.jsonObject()["data"] as? [[String: Any]]) ?? []
    }

    /// Every record of a collection list, following cursors.
    static func all(_ server: HTTPServer, _ target: String) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var next: String? = target
        while let path = next {
            let response = try server.request("GET", path)
            guard response.status == 200 else {
                throw TestFailure("\(path): \(response.status) \(response.bodyString)")
            }
            items += try data(response)
            let cursor = try response.jsonObject()["next_cursor"] as? String
            next = cursor.map { target + (target.contains("?") ? "&" : "?") + "cursor=" + $0 }
        }
        return items
    }

    /// `date|type|id|index` of each timeline item.
    static func keys(_ items: [[String: Any]]) -> [String] {
        items.map { item in
            let index = (item["history_index"] as? Int).map(String.init) ?? "-"
            return
                "\(item["date"] as? String ?? "")|\(item["type"] as? String ?? "")|\(item["id"] as? String ?? "")|\(index)"
        }
    }

    @Test func theStoryOfFourJuneComesBackWholeAndInOrder() throws {
        try Self.withSample { server in
            // Expected, from the collection endpoints: every record of both countries.
            let meetings = try Self.all(server, "/v1/meetings?country=US&country=KH&limit=500")
            let statements = try Self.all(server, "/v1/statements?country=KH&country=US&limit=500")
            let initiatives = try Self.all(server, "/v1/initiatives?country=US&country=KH&limit=500")
            var expected: [(date: String, rank: Int, id: String, index: Int)] = []
            for m in meetings { expected.append((m["date"] as? String ?? "", 0, m["id"] as? String ?? "", -1)) }
            for s in statements { expected.append((s["date"] as? String ?? "", 1, s["id"] as? String ?? "", -1)) }
            for i in initiatives {
                for (index, change) in ((i["status_history"] as? [[String: Any]]) ?? []).enumerated() {
                    expected.append((change["date"] as? String ?? "", 2, i["id"] as? String ?? "", index))
                }
            }
            expected.sort { ($0.date, $0.rank, $0.id, $0.index) < ($1.date, $1.rank, $1.id, $1.index) }
            let names = ["meeting", "statement", "status_change"]
            let expectedKeys = expected.map {
                "\($0.date)|\(names[$0.rank])|\($0.id)|\($0.index < 0 ? "-" : String($0.index))"
            }
            #expect(meetings.count == 3 && statements.count == 19 && initiatives.count == 10)

            let ascending = try Self.all(server, "/v1/relations/kh/us/timeline?order=asc&limit=500")
            #expect(Self.keys(ascending) == expectedKeys)
            #expect(Set(ascending.compactMap { $0["date"] as? String }) == ["2024-06-04"])
            let descending = try Self.all(server, "/v1/relations/US/KH/timeline")
            #expect(Self.keys(descending) == expectedKeys.reversed())
            for limit in [1, 4, 7] {
                let paged = try Self.all(server, "/v1/relations/US/KH/timeline?order=asc&limit=\(limit)")
                #expect(Self.keys(paged) == expectedKeys, "limit \(limit)")
            }

            // Each item draws without another request.
            let first = try #require(ascending.first)
            let meeting = try #require(first["meeting"] as? [String: Any])
            #expect(meeting["title"] as? String == "Austin meets Senate President Hun Sen")
            let statement = try #require(ascending.first { $0["type"] as? String == "statement" })
            #expect((statement["statement"] as? [String: Any])?["text"] is String)
            #expect(((statement["statement"] as? [String: Any])?["speaker"] as? [String: Any])?["name"] is String)
            let change = try #require(ascending.last)
            #expect(change["type"] as? String == "status_change")
            #expect((change["initiative"] as? [String: Any])?["title"] is String)
            #expect((change["status_change"] as? [String: Any])?["status"] is String)

            let types = try Self.all(server, "/v1/relations/US/KH/timeline?types=status_change,meeting&limit=500")
            #expect(types.count == 13)
            #expect(try Self.all(server, "/v1/relations/US/KH/timeline?from=2024-06-05").isEmpty)
            #expect(try Self.all(server, "/v1/relations/US/KH/timeline?to=2024-06-04&limit=500").count == 32)
        }
    }

    @Test func summaryAgreesWithTheCollectionsAndIgnoresOrderAndCase() throws {
        try Self.withSample { server in
            let summary = try server.request("GET", "/v1/relations/us/kh")
            #expect(summary.status == 200)
            let object = try summary.jsonObject()
            #expect(object["countries"] as? [String] == ["KH", "US"])
            #expect(object["meetings"] as? Int == 3)
            #expect(object["statements"] as? Int == 19)
            #expect(object["initiatives"] as? Int == 10)
            #expect(object["status_changes"] as? Int == 10)
            #expect(object["first_date"] as? String == "2024-06-04")
            #expect(object["last_date"] as? String == "2024-06-04")
            let statuses = try #require(object["initiatives_by_status"] as? [String: Int])
            #expect(statuses.values.reduce(0, +) == 10)
            for (status, count) in statuses {
                let listed = try Self.all(server, "/v1/initiatives?country=US&country=KH&status=\(status)&limit=500")
                #expect(listed.count == count, "\(status)")
            }
            let actors = try #require(object["top_actors"] as? [[String: Any]])
            #expect(actors.first?["id"] as? String == "hun-sen")
            let topics = try #require(object["top_topics"] as? [[String: Any]])
            #expect(topics.count == 10)

            for other in ["/v1/relations/KH/US", "/v1/relations/Kh/uS"] {
                let again = try server.request("GET", other)
                #expect(again.body == summary.body)
                #expect(again["ETag"] == summary["ETag"])
            }
            let etag = try #require(summary["ETag"])
            #expect(try server.request("GET", "/v1/relations/KH/US", headers: [("If-None-Match", etag)]).status == 304)
            let zipped = try server.request("GET", "/v1/relations/KH/US", headers: [("Accept-Encoding", "gzip")])
            #expect(zipped["Content-Encoding"] == "gzip")

            let list = try server.request("GET", "/v1/relations?country=kh")
            let pairs = try Self.data(list)
            #expect(pairs.count == 1)
            #expect(pairs.first?["countries"] as? [String] == ["KH", "US"])
            #expect(pairs.first?["total"] as? Int == 32)
            #expect(try Self.data(try server.request("GET", "/v1/relations?country=FR")).isEmpty)
        }
    }

    @Test func activityHasEveryPeriodWithZeros() throws {
        try Self.withSample { server in
            let year = try server.request(
                "GET", "/v1/relations/US/KH/activity?interval=month&from=2024-01-01&to=2024-12-31")
            #expect(year.status == 200)
            let months = try Self.data(year)
            #expect(months.map { $0["period"] as? String } == (1...12).map { String(format: "2024-%02d", $0) })
            #expect(months[1]["end"] as? String == "2024-02-29")
            let june = months[5]
            #expect(june["meetings"] as? Int == 3 && june["statements"] as? Int == 19)
            #expect(june["status_changes"] as? Int == 10 && june["total"] as? Int == 32)
            #expect(months.map { $0["total"] as? Int ?? -1 }.reduce(0, +) == 32)

            let byDefault = try server.request("GET", "/v1/relations/KH/US/activity")
            let only = try Self.data(byDefault)
            #expect(only.map { $0["period"] as? String } == ["2024-06"])
            #expect(try byDefault.jsonObject()["from"] as? String == "2024-06-04")

            let quarters = try Self.data(
                try server.request("GET", "/v1/relations/KH/US/activity?interval=quarter&from=2023-11-15&to=2024-06-04")
            )
            #expect(quarters.map { $0["period"] as? String } == ["2023-Q4", "2024-Q1", "2024-Q2"])
            #expect(quarters.last?["total"] as? Int == 32)
            let years = try Self.data(
                try server.request("GET", "/v1/relations/KH/US/activity?interval=year&from=2020-01-01"))
            #expect(years.map { $0["period"] as? String } == ["2020", "2021", "2022", "2023", "2024"])
        }
    }

    @Test func aValidPairWithNothingIsZeros() throws {
        try Self.withSample { server in
            let summary = try server.request("GET", "/v1/relations/fr/de")
            #expect(summary.status == 200)
            let object = try summary.jsonObject()
            #expect(object["countries"] as? [String] == ["DE", "FR"])
            #expect(object["total"] as? Int == 0 && object["meetings"] as? Int == 0)
            #expect(object["first_date"] is NSNull)
            #expect((object["top_actors"] as? [Any])?.isEmpty == true)
            #expect(try Self.data(try server.request("GET", "/v1/relations/FR/DE/timeline")).isEmpty)
            let activity = try server.request("GET", "/v1/relations/FR/DE/activity")
            #expect(activity.status == 200)
            #expect(try Self.data(activity).isEmpty)
            #expect(try activity.jsonObject()["from"] is NSNull)
            let ranged = try server.request("GET", "/v1/relations/FR/DE/activity?interval=year&from=2020-01-01")
            #expect(try Self.data(ranged).map { $0["total"] as? Int } == [0])
        }
    }

    static let badRequests: [(String, String)] = [
        ("/v1/relations/XX/US", "a"),
        ("/v1/relations/US/USA", "b"),
        ("/v1/relations/us/US", "b"),
        // Case-insensitive for ASCII letters only: "ß" uppercases to "SS" (South Sudan), "ﬆ" to "ST".
        ("/v1/relations/%C3%9F/US", "a"),
        ("/v1/relations/KH/%EF%AC%86/timeline", "b"),
        ("/v1/relations?country=%C3%9F", "country"),
        ("/v1/relations/us/us/timeline", "b"),
        ("/v1/relations/ZZ/KH/activity", "a"),
        ("/v1/relations?country=ZZ", "country"),
        ("/v1/relations?country=US&country=KH", "country"),
        ("/v1/relations?limit=0", "limit"),
        ("/v1/relations?cursor=abc", "cursor"),
        ("/v1/relations?sort=total", "sort"),
        ("/v1/relations/US/KH?limit=5", "limit"),
        ("/v1/relations/US/KH/timeline?order=sideways", "order"),
        ("/v1/relations/US/KH/timeline?types=meeting,speech", "types"),
        ("/v1/relations/US/KH/timeline?from=2024-02-30", "from"),
        ("/v1/relations/US/KH/timeline?from=2024-06-05&to=2024-06-04", "to"),
        ("/v1/relations/US/KH/timeline?limit=501", "limit"),
        ("/v1/relations/US/KH/timeline?cursor=eyJ9.AAAA", "cursor"),
        ("/v1/relations/US/KH/timeline?country=KH", "country"),
        ("/v1/relations/US/KH/activity?interval=week", "interval"),
        ("/v1/relations/US/KH/activity?from=0001-01-01&to=9999-12-31", "interval"),
        ("/v1/relations/US/KH/activity?to=2024-13-01", "to"),
        ("/v1/relations/US/KH/activity?limit=5", "limit"),
        ("/v1/areas?country=KH", "country"),
    ]

    @Test func everyMistakeIsA400NamingItsParameter() throws {
        try Self.withSample { server in
            for (target, field) in Self.badRequests {
                let response = try server.request("GET", target)
                #expect(response.status == 400, "\(target): \(response.bodyString)")
                #expect(response["Content-Type"] == "application/problem+json", "\(target)")
                #expect(try response.firstErrorField() == field, "\(target): \(response.bodyString)")
            }
        }
    }

    @Test func aCursorContinuesOnlyItsOwnQuery() throws {
        try Self.withSample { server in
            let first = try server.request("GET", "/v1/relations/US/KH/timeline?limit=2")
            let cursor = try #require(try first.jsonObject()["next_cursor"] as? String)
            #expect(first["Link"]?.contains("cursor=") == true)
            let other = try server.request("GET", "/v1/relations/US/KH/timeline?limit=2&order=asc&cursor=\(cursor)")
            #expect(other.status == 400)
            let pairSwapped = try server.request("GET", "/v1/relations/KH/US/timeline?limit=2&cursor=\(cursor)")
            #expect(pairSwapped.status == 200, "the same pair, named the other way")
        }
    }

    @Test func areasCountWhatCarriesThem() throws {
        try Self.withSample { server in
            let response = try server.request("GET", "/v1/areas")
            #expect(response.status == 200)
            let areas = try Self.data(response)
            #expect(areas.compactMap { $0["area"] as? String } == RecordSchema.areas)
            for area in areas where ["demining", "trade"].contains(area["area"] as? String) {
                let name = area["area"] as? String ?? ""
                #expect(
                    area["initiatives"] as? Int
                        == (try Self.all(server, "/v1/initiatives?area=\(name)&limit=500")).count)
                #expect(
                    area["meetings"] as? Int == (try Self.all(server, "/v1/meetings?topic=\(name)&limit=500")).count)
                #expect(
                    area["statements"] as? Int == (try Self.all(server, "/v1/statements?topic=\(name)&limit=500")).count
                )
            }
            let etag = try #require(response["ETag"])
            #expect(try server.request("GET", "/v1/areas", headers: [("If-None-Match", etag)]).status == 304)
        }
    }
}
