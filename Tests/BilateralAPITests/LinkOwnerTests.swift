import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// The initiative owns the link between a meeting and an initiative: its `meeting_ids` are
/// written, the meeting's `initiative_ids` are derived and read-only (docs/api-changes.md).
@Suite("One owner for a meeting–initiative link")
struct LinkOwnerTests {
    static let actors = [ImportRoutesTests.actorA, ImportRoutesTests.actorB]

    /// A meeting line, naming `initiatives` (ignored since the initiative owns the link).
    static func meeting(initiatives: [String]? = nil) -> String {
        guard let initiatives else { return ImportRoutesTests.meeting }
        let list = initiatives.map { "\"\($0)\"" }.joined(separator: ",")
        return ImportRoutesTests.meeting.replacingOccurrences(
            of: #""kind":"meeting","#, with: #""kind":"meeting","initiative_ids":[\#(list)],"#)
    }

    /// An initiative line, naming `meetings` when given.
    static func initiative(meetings: [String]? = nil) -> String {
        let links = meetings.map { #","meeting_ids":["# + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
        return
            #"{"type":"initiative","id":"i","title":"Demining","area":"demining","countries":["KH","US"],"status":"proposed","status_date":"2024-06-04"\#(links)}"#
    }

    static func initiativeIDs(_ client: WritingClient, _ meeting: String = "m") throws -> [String]? {
        try client.get("/v1/meetings/\(meeting)").jsonObject()["initiative_ids"] as? [String]
    }

    /// SPEC, Bulk: "Importing the same body twice changes nothing the second time". Before the
    /// initiative owned the link, a body naming it on one side only had the sides undo each other:
    /// the second import reported the other side `updated`.
    @Test(arguments: [
        ("meeting side only", [meeting(initiatives: ["i"]), initiative()], [String]()),
        ("initiative side only", [meeting(), initiative(meetings: ["m"])], ["i"]),
        ("both sides, initiative first", [initiative(meetings: ["m"]), meeting(initiatives: ["i"])], ["i"]),
        ("the sides disagree", [meeting(initiatives: ["i"]), initiative(meetings: [])], []),
    ])
    func importingTheSameBodyTwiceChangesNothing(_ name: String, records: [String], links: [String]) throws {
        try WritingClient.with { client, _ in
            let body = Array((Self.actors + records).joined(separator: "\n").utf8)
            let first = try ImportRoutesTests.post(client, body)
            #expect(first.status == 200, "\(name): \(first.bodyString)")
            #expect(try ImportRoutesTests.counts(first) == [4, 0, 0, 0], "\(name)")
            let meeting = try client.get("/v1/meetings/m")
            let second = try ImportRoutesTests.post(client, body)
            #expect(second.status == 200, "\(name): \(second.bodyString)")
            #expect(try ImportRoutesTests.counts(second) == [0, 0, 4, 0], "\(name): \(second.bodyString)")
            #expect(try Self.initiativeIDs(client) == links, "\(name)")
            #expect(
                try client.get("/v1/initiatives/i").jsonObject()["meeting_ids"] as? [String] == links.map { _ in "m" })
            let again = try client.get("/v1/meetings/m")
            #expect(again.bodyString == meeting.bodyString, "\(name)")
            #expect(again["ETag"] == meeting["ETag"], "\(name)")
        }
    }

    /// Like `countries`, a meeting's `initiative_ids` is accepted and ignored on input: no 422 for
    /// an unknown id, no link written, and a PUT of what a GET returned changes nothing.
    @Test func aMeetingWriteNeitherChecksNorChangesLinks() throws {
        try WritingClient.with { client, _ in
            for actor in Self.actors {
                #expect(try ImportRoutesTests.post(client, Array(actor.utf8)).status == 200)
            }
            let body = Self.meeting(initiatives: ["nope"]).replacingOccurrences(of: #""type":"meeting","#, with: "")
            let created = try client.send("POST", "/v1/meetings", json: body)
            #expect(created.status == 201, "\(created.bodyString)")
            #expect(try created.jsonObject()["initiative_ids"] as? [String] == [])

            let linked = try client.send(
                "POST", "/v1/initiatives",
                json: Self.initiative(meetings: ["m"]).replacingOccurrences(of: #""type":"initiative","#, with: ""))
            #expect(linked.status == 201, "\(linked.bodyString)")
            let got = try client.get("/v1/meetings/m")
            #expect(try got.jsonObject()["initiative_ids"] as? [String] == ["i"])

            // PUT back what was GOT, then without initiative_ids, then naming another: all unchanged.
            let put = try client.send("PUT", "/v1/meetings/m", json: got.bodyString)
            #expect(put.status == 200)
            #expect(put.bodyString == got.bodyString)
            for replacement in [body, Self.meeting(initiatives: []), Self.meeting(initiatives: ["other"])] {
                let json = replacement.replacingOccurrences(of: #""type":"meeting","#, with: "")
                let response = try client.send("PUT", "/v1/meetings/m", json: json)
                #expect(response.status == 200, "\(response.bodyString)")
                #expect(response.bodyString == got.bodyString)
            }
            let patched = try client.send(
                "PATCH", "/v1/meetings/m", json: #"{"initiative_ids":[],"summary":"Talks."}"#,
                contentType: "application/merge-patch+json")
            #expect(patched.status == 200)
            let object = try patched.jsonObject()
            #expect(object["initiative_ids"] as? [String] == ["i"])
            #expect(object["version"] as? Int == 2)
            #expect(try client.get("/v1/initiatives/i").jsonObject()["meeting_ids"] as? [String] == ["m"])
        }
    }

    /// An initiative write shows on the meeting's next GET. The meeting's `version` stays (it
    /// counts the meeting's own changes, as a participant's renamed actor leaves it too); its
    /// `ETag`, taken from the bytes, changes with them and is the same for every GET of them.
    @Test func initiativeWritesShowOnTheMeetingAndItsETag() throws {
        try WritingClient.with { client, _ in
            let body = Array((Self.actors + [Self.meeting(), Self.initiative()]).joined(separator: "\n").utf8)
            #expect(try ImportRoutesTests.post(client, body).status == 200)
            let before = try client.get("/v1/meetings/m")
            #expect(try before.jsonObject()["initiative_ids"] as? [String] == [])

            let patch = try client.send(
                "PATCH", "/v1/initiatives/i", json: #"{"meeting_ids":["m"]}"#,
                contentType: "application/merge-patch+json")
            #expect(patch.status == 200, "\(patch.bodyString)")
            let linked = try client.get("/v1/meetings/m")
            let object = try linked.jsonObject()
            #expect(object["initiative_ids"] as? [String] == ["i"])
            #expect(object["version"] as? Int == 1)
            #expect(object["updated_at"] as? String == (try before.jsonObject()["updated_at"] as? String))
            #expect(linked["ETag"] != before["ETag"])
            #expect(try client.get("/v1/meetings/m")["ETag"] == linked["ETag"])
            #expect(try client.get("/v1/meetings/m", headers: [("If-None-Match", linked["ETag"] ?? "")]).status == 304)
            // If-Match holds the meeting's current tag, not one from before the link.
            let stale = try client.send(
                "PATCH", "/v1/meetings/m", json: #"{"summary":"x"}"#, contentType: "application/merge-patch+json",
                headers: [("If-Match", before["ETag"] ?? "")])
            #expect(stale.status == 412)
            let listed = try client.get("/v1/meetings?format=csv").bodyString
            #expect(listed.contains(",i,"), "\(listed)")

            let unlinked = try client.send(
                "PUT", "/v1/initiatives/i",
                json: Self.initiative().replacingOccurrences(of: #""type":"initiative","#, with: ""))
            #expect(unlinked.status == 200)
            #expect(try Self.initiativeIDs(client) == [])
            #expect(try client.get("/v1/meetings/m")["ETag"] == before["ETag"])
        }
    }

    /// Export → import into an empty database → export: the same lines, the links included, however
    /// the first body named them.
    @Test func theExportRoundTripsWithTheLinksOnTheInitiative() throws {
        let body = Array(
            (Self.actors + [Self.meeting(initiatives: ["i"]), Self.initiative(meetings: ["m"])])
                .joined(separator: "\n").utf8)
        let (first, second) = try ExportRoutesTests.roundTrip(body)
        #expect(ExportRoutesTests.normalized(first) == ExportRoutesTests.normalized(second))
        #expect(first.contains(#""initiative_ids":["i"]"#))
        #expect(first.contains(#""meeting_ids":["m"]"#))
    }

    /// Migration 12 changes no row: links a meeting wrote (one row of `initiative_meetings`, as
    /// the old meeting write left it) are the initiative's links after it, and the exported body
    /// imports into the migrated database as `unchanged`, twice.
    @Test func migrationTwelveKeepsTheLinksMeetingsWrote() throws {
        let all = Schema.sqlite.migrations
        let upToEleven = Migrator(all.filter { $0.version < 12 })
        let body = Array((Self.actors + [Self.meeting(), Self.initiative()]).joined(separator: "\n").utf8)
        try withStore { _, directory in
            let pool = try SQLitePool(path: directory.file("upgraded.sqlite"))
            defer { pool.close() }
            _ = try upToEleven.migrate(pool)
            _ = try importIntoOldSchema(body, to: pool)
            // What a meeting's initiative_ids wrote before version 12.
            try pool.write { db in
                try db.execute("INSERT INTO initiative_meetings (initiative_id, meeting_id) VALUES ('i', 'm')")
            }
            let applied = try Schema.migrate(pool)
            #expect(applied.map(\.version) == Schema.sqlite.migrations.map(\.version).filter { $0 >= 12 })
            #expect(try pool.integrityCheck() == ["ok"])
            let (initiative, meeting) = try pool.read { db in
                (try InitiativeRepository.load(["i"], in: db).first, try MeetingRepository.load(["m"], in: db).first)
            }
            #expect(initiative?.content.meetingIDs == ["m"])
            #expect(meeting?.initiativeIDs == ["i"])
            var export: [UInt8] = []
            _ = try pool.read { db in try RecordExport.write(from: db) { export += $0 } }
            #expect(try RecordImport.apply(export, to: pool) == .init(unchanged: 4))
            #expect(try RecordImport.apply(export, to: pool) == .init(unchanged: 4))
        }
    }
}
