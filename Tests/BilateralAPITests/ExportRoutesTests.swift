import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// `GET /v1/export` and `RecordExport` (SPEC, Bulk).
@Suite("GET /v1/export")
struct ExportRoutesTests {
    /// The lines without what a new database sets anew: `created_at`, `updated_at`, `version`.
    static func normalized(_ ndjson: String) -> [String] {
        ndjson.split(separator: "\n").map {
            $0.replacingOccurrences(
                of: #","created_at":"[^"]*","updated_at":"[^"]*","version":[0-9]+"#, with: "",
                options: .regularExpression)
        }
    }

    /// Imports `lines` into a fresh server, exports, imports that into another fresh server,
    /// exports again: both exports must agree apart from the bookkeeping fields.
    static func roundTrip(_ ndjson: [UInt8]) throws -> (first: String, second: String) {
        let first = try WritingClient.with { client, _ in
            let imported = try ImportRoutesTests.post(client, ndjson)
            #expect(imported.status == 200, "\(imported.bodyString.prefix(500))")
            let export = try client.get("/v1/export")
            #expect(export.status == 200)
            #expect(export.wasChunked)
            #expect(export["Content-Type"] == "application/x-ndjson")
            return export.bodyString
        }
        let second = try WritingClient.with { client, _ in
            let imported = try ImportRoutesTests.post(client, Array(first.utf8))
            #expect(imported.status == 200, "\(imported.bodyString.prefix(500))")
            return try client.get("/v1/export").bodyString
        }
        return (first, second)
    }

    @Test func theSampleRoundTrips() throws {
        let (first, second) = try Self.roundTrip(Array(try BundledResource.data("sample.ndjson")))
        #expect(Self.normalized(first).count == 43)
        #expect(Self.normalized(first) == Self.normalized(second))
        #expect(first.hasPrefix(#"{"type":"source","id":"#))
    }

    @Test func generatedDataRoundTrips() throws {
        let lines = GeneratedRecords.lines()
        let (first, second) = try Self.roundTrip(Array(lines.joined(separator: "\n").utf8))
        #expect(Self.normalized(first).count == lines.count)
        let differing = zip(Self.normalized(first), Self.normalized(second)).first { $0 != $1 }
        #expect(differing == nil, "first difference: \(String(describing: differing))")
        // References first: types in export order, organizations before people, ids ascending.
        let types = Self.normalized(first).map { line in
            line.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
        }
        #expect(
            types
                == types.sorted {
                    RecordExport.kinds.firstIndex(of: $0) ?? 9 < RecordExport.kinds.firstIndex(of: $1) ?? 9
                })
        let actors = Self.normalized(first).filter { $0.hasPrefix(#"{"type":"actor""#) }
        let firstPerson = actors.firstIndex { $0.contains(#""kind":"person""#) } ?? 0
        #expect(actors[..<firstPerson].allSatisfy { $0.contains(#""kind":"organization""#) })
    }

    @Test func typesFilterAndErrors() throws {
        try WritingClient.with { client, app in
            _ = try SampleData.loadIfEmpty(into: app.store)
            let actors = try client.get("/v1/export?types=actor").bodyString
            #expect(Self.normalized(actors).count == 10)
            #expect(Self.normalized(actors).allSatisfy { $0.hasPrefix(#"{"type":"actor""#) })
            let two = try client.get("/v1/export?types=source&types=initiative").bodyString
            #expect(Self.normalized(two).count == 1 + 10)
            #expect(try client.get("/v1/export?types=planet").status == 400)
            #expect(try client.get("/v1/export?type=actor").status == 400)
            #expect(try client.send("POST", "/v1/export").status == 405)
            let gzip = try client.get("/v1/export", headers: [("Accept-Encoding", "gzip")])
            #expect(gzip["Content-Encoding"] == "gzip")
            #expect(String(decoding: try GzipDecoder.decompress(gzip.body, limit: 1 << 24), as: UTF8.self).count > 1000)
        }
    }

    @Test func privateReadsNeedAKeyForTheExport() throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "r", scope: .read, in: $0) }
            let refused = try server.request("GET", "/v1/export")
            #expect(refused.status == 401)
            #expect(refused["WWW-Authenticate"] != nil)
            #expect(
                try server.request("GET", "/v1/export", headers: [("Authorization", "Bearer \(token)")]).status == 200)
        }
    }

    /// One read transaction: writes that commit while the export runs are not in it, and the
    /// export never waits for them (nor they for it).
    @Test func theExportIsOneSnapshotWhileWritesGoOn() throws {
        try withStore { pool, _ in
            let lines = (0..<600).map {
                #"{"type":"actor","id":"actor-\#(1000 + $0)","kind":"person","name":"Actor \#($0) with a name long enough to fill pages","country":"KH"}"#
            }
            _ = try RecordImport.apply(Array(lines.joined(separator: "\n").utf8), to: pool)
            var output: [UInt8] = []
            var pieces = 0
            try pool.read { db in
                _ = try RecordExport.write(from: db) { piece in
                    pieces += 1
                    output += piece
                    guard pieces == 1 else { return }
                    // Mid-export: a new actor, a changed one, a deleted one.
                    let service = RecordService<Actors>(store: pool)
                    _ = try service.put(
                        id: "actor-0000", object: try Self.object(#"{"kind":"person","name":"New","country":"US"}"#),
                        ifMatch: nil, ifNoneMatch: nil)
                    _ = try service.put(
                        id: "actor-1599",
                        object: try Self.object(#"{"kind":"person","name":"Changed","country":"US"}"#),
                        ifMatch: nil, ifNoneMatch: nil)
                    try service.delete(id: "actor-1300", ifMatch: nil)
                }
            }
            #expect(pieces > 1)
            let exported = Self.normalized(String(decoding: output, as: UTF8.self))
            #expect(exported.count == 600)
            #expect(!exported.contains { $0.contains("actor-0000") || $0.contains("Changed") })
            #expect(exported.contains { $0.contains(#""id":"actor-1300""#) })
            #expect(try pool.read { try $0.scalar("SELECT count(*) FROM actors")?.int } == 600)
        }
    }

    /// Each line is `{"type":…,` and then the GET representation of its record, to the byte: the
    /// export writes its records straight from their rows (`RecordReader.forEachRow`) where GET
    /// loads one record into its view, and both must say the same.
    @Test func everyLineIsTheTypeAndTheRepresentation() throws {
        try Self.expectEveryLineIsTheTypeAndTheRepresentation(GeneratedRecords.lines())
    }

    /// The same with text JSON must escape (quotes, backslashes, control characters), text that is
    /// not ASCII, empty text and nulls: the export copies a column's bytes, escaping only as needed.
    @Test func textThatNeedsEscapingOrIsNotASCIIIsWrittenAsGETWritesIt() throws {
        let odd = #"quote \" back \\ tab \t line \n ctl \u0001\u001f del \u007f"#
        let foreign = "ünïcødé → 東京 🎉, Phnom Penh — Cambodia’s"
        try Self.expectEveryLineIsTheTypeAndTheRepresentation([
            #"{"type":"source","id":"s-1","title":"\#(odd)","url":null,"publisher":"\#(foreign)","author":null}"#,
            #"{"type":"actor","id":"org","kind":"organization","name":"\#(foreign)","aliases":["\#(odd)","\#(foreign)"],"country":null,"description":"\#(odd)"}"#,
            #"{"type":"actor","id":"per","kind":"person","name":"\#(odd)","country":"KH","roles":[{"title":"\#(foreign)","organization_id":"org","start_date":null,"end_date":null}]}"#,
            #"{"type":"meeting","id":"m-1","title":"\#(odd)","date":"2024-06-04","kind":"meeting","location":{"city":"\#(foreign)","country":"KH"},"participants":[{"actor_id":"per","role":"host"},{"actor_id":"org","role":"guest"}],"summary":"\#(foreign)","source_ids":["s-1"]}"#,
            #"{"type":"statement","id":"st-1","speaker_id":"per","date":"2024-06-04","channel":"other","platform":"\#(odd)","text":"\#(foreign)","meeting_id":"m-1","about":["KH"]}"#,
        ])
    }

    /// Imports `lines`, exports, and compares each line with its record's GET representation.
    static func expectEveryLineIsTheTypeAndTheRepresentation(_ lines: [String]) throws {
        try withStore { pool, _ in
            _ = try RecordImport.apply(Array(lines.joined(separator: "\n").utf8), to: pool)
            var output: [UInt8] = []
            let count = try pool.read { db in try RecordExport.write(from: db) { output += $0 } }
            let exported = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(exported.count == count)
            #expect(count == lines.count)
            try pool.read { db in
                for line in exported {
                    guard case .object(let members) = try JSONParser.parse(line),
                        case .string(let type) = members["type"], case .string(let id) = members["id"]
                    else { throw TestFailure("not a record line: \(line)") }
                    let representation: [UInt8]?
                    switch type {
                    case "source": representation = try Sources.representation(of: id, in: db)
                    case "actor": representation = try Actors.representation(of: id, in: db)
                    case "meeting": representation = try Meetings.representation(of: id, in: db)
                    case "statement": representation = try Statements.representation(of: id, in: db)
                    default: representation = try Initiatives.representation(of: id, in: db)
                    }
                    let rest = String(decoding: (representation ?? []).dropFirst(), as: UTF8.self)
                    #expect(line == #"{"type":"\#(type)","# + rest)
                }
            }
        }
    }

    static func object(_ json: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(json) else { throw TestFailure("not an object") }
        return object
    }
}
