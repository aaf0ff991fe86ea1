import Dispatch
import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import StoreTestSupport
import Synchronization
import Testing

@testable import BilateralAPI

extension WritingClient {
    /// One page of `GET /v1/changes` (the query without its `?`), which must answer 200.
    func changePage(_ query: String) throws -> (changes: [[String: Any]], next: String) {
        let response = try get("/v1/changes?\(query)")
        guard response.status == 200 else {
            throw TestFailure("GET /v1/changes?\(query): \(response.status) \(response.bodyString)")
        }
        let object = try response.jsonObject()
        guard let data = object["data"] as? [[String: Any]], let next = object["next_cursor"] as? String else {
            throw TestFailure("not a page of changes: \(response.bodyString)")
        }
        return (data, next)
    }

    /// Every change after `since`, following `next_cursor` a page of `limit` at a time.
    func allChanges(since: Int = 0, limit: Int = 1000, extra: String = "") throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        var cursor = String(since)
        for _ in 0..<10_000 {
            let page = try changePage("since=\(cursor)&limit=\(limit)\(extra)")
            all += page.changes
            if page.changes.isEmpty { break }
            cursor = page.next
        }
        return all
    }

    /// The newest seq (the cursor a reader that has everything holds).
    func newestSeq() throws -> Int {
        var cursor = 0
        while true {
            let page = try changePage("since=\(cursor)&limit=1000&include=none")
            guard let next = Int(page.next) else { throw TestFailure("next_cursor \(page.next) is not a number") }
            if page.changes.isEmpty { return next }
            cursor = next
        }
    }

    /// The changes after `since`, as (op, type, id, version) tuples rendered as one string each.
    func summary(since: Int) throws -> [String] {
        try allChanges(since: since).map { Self.describe($0) }
    }

    static func describe(_ change: [String: Any]) -> String {
        "\(change["op"] ?? "?") \(change["type"] ?? "?")/\(change["id"] ?? "?") v\(change["version"] ?? "?")"
    }
}

/// `GET /v1/changes`: one change per committed change, none for a write that changed nothing or
/// was refused, in order and exactly once under concurrent writers, and the feed rebuilds the
/// database (issue 15).
@Suite("Change feed")
struct ChangeFeedTests {
    static let senate = #"{"id":"senate-kh","kind":"organization","name":"Senate of Cambodia","country":"KH"}"#
    static let hunSen = #"{"id":"hun-sen","kind":"person","name":"Hun Sen","country":"KH"}"#
    static let austin = #"{"id":"lloyd-austin","kind":"person","name":"Lloyd Austin","country":"US"}"#
    static let meeting =
        #"{"id":"m1","title":"Austin meets Hun Sen","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"lloyd-austin","role":"guest"},{"actor_id":"hun-sen","role":"host"}]}"#
    static let initiative =
        #"{"id":"demining","title":"Demining","area":"demining","countries":["KH","US"],"status":"proposed","status_date":"2024-06-04","meeting_ids":["m1"]}"#

    static func representation(_ response: RawResponse) throws -> [String: Any] { try response.jsonObject() }

    /// The record of a change equals `expected` (a body as GET returns it), key by key.
    static func sameJSON(_ a: Any?, _ b: Any?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
    }

    @Test func everyWriteAppendsOneChangeWithItsRecord() throws {
        try WritingClient.with { client, _ in
            let start = try client.newestSeq()
            #expect(start == 0)
            let created = try client.send("POST", "/v1/actors", json: Self.senate)
            #expect(created.status == 201)
            let put = try client.send(
                "PUT", "/v1/actors/senate-kh",
                json: Self.senate.replacingOccurrences(of: "Senate of Cambodia", with: "The Senate"))
            #expect(put.status == 200)
            let patched = try client.send(
                "PATCH", "/v1/actors/senate-kh", json: #"{"description":"Upper house"}"#,
                contentType: "application/merge-patch+json")
            #expect(patched.status == 200, "\(patched.bodyString)")
            let changes = try client.allChanges()
            #expect(
                changes.map(WritingClient.describe) == [
                    "create actor/senate-kh v1", "update actor/senate-kh v2", "update actor/senate-kh v3",
                ])
            #expect(changes.map { $0["seq"] as? Int } == [1, 2, 3])
            for (change, response) in zip(changes, [created, put, patched]) {
                #expect(Self.sameJSON(change["record"], try response.jsonObject()), "\(change)")
                #expect((change["at"] as? String)?.hasSuffix("Z") == true)
            }
            #expect(Self.sameJSON(changes.last?["record"], try client.get("/v1/actors/senate-kh").jsonObject()))
            #expect(changes.last?["at"] as? String == (try patched.jsonObject()["updated_at"] as? String))

            // A delete is a tombstone: the last version, no record.
            #expect(try client.send("DELETE", "/v1/actors/senate-kh").status == 204)
            let tombstone = try #require(try client.allChanges(since: 3).first)
            #expect(WritingClient.describe(tombstone) == "delete actor/senate-kh v3")
            #expect(tombstone.keys.contains("record"))
            #expect(tombstone["record"] is NSNull)
            #expect(tombstone["seq"] as? Int == 4)
        }
    }

    @Test func anInitiativesStatusChangeIsAnUpdate() throws {
        try WritingClient.with { client, _ in
            for body in [Self.hunSen, Self.austin] {
                #expect(try client.send("POST", "/v1/actors", json: body).status == 201)
            }
            #expect(try client.send("POST", "/v1/meetings", json: Self.meeting).status == 201)
            #expect(try client.send("POST", "/v1/initiatives", json: Self.initiative).status == 201)
            let before = try client.newestSeq()
            let agreed = try client.send(
                "POST", "/v1/initiatives/demining/status-changes", json: #"{"status":"agreed","date":"2024-09-01"}"#)
            #expect(agreed.status == 201, "\(agreed.bodyString)")
            let changes = try client.allChanges(since: before)
            #expect(changes.map(WritingClient.describe) == ["update initiative/demining v2"])
            #expect(Self.sameJSON(changes.first?["record"], try agreed.jsonObject()))
            #expect((changes.first?["record"] as? [String: Any])?["status"] as? String == "agreed")
        }
    }

    @Test func writesThatChangeNothingOrAreRefusedAppendNothing() throws {
        try WritingClient.with { client, _ in
            #expect(try client.send("PUT", "/v1/actors/senate-kh", json: Self.senate).status == 201)
            #expect(try client.send("POST", "/v1/actors", json: Self.hunSen).status == 201)
            let before = try client.newestSeq()
            #expect(before == 2)

            // The same PUT again, and a PATCH to what is there already.
            #expect(try client.send("PUT", "/v1/actors/senate-kh", json: Self.senate).status == 200)
            #expect(
                try client.send(
                    "PATCH", "/v1/actors/senate-kh", json: #"{"name":"Senate of Cambodia"}"#,
                    contentType: "application/merge-patch+json"
                ).status == 200)
            // 422: an invalid country; 409: an id taken; 412: a stale ETag; 404: nothing to delete.
            #expect(
                try client.send(
                    "PUT", "/v1/actors/senate-kh", json: #"{"kind":"organization","name":"S","country":"XX"}"#
                )
                .status == 422)
            #expect(try client.send("POST", "/v1/actors", json: Self.senate).status == 409)
            #expect(
                try client.send(
                    "PUT", "/v1/actors/senate-kh",
                    json: Self.senate.replacingOccurrences(of: "Senate of", with: "The Senate of"),
                    headers: [("If-Match", #""0000000000000000""#)]
                ).status == 412)
            #expect(try client.send("DELETE", "/v1/actors/senate-kh", headers: [("If-Match", #""00""#)]).status == 412)
            #expect(try client.send("DELETE", "/v1/actors/nobody").status == 404)
            // 409: a meeting names the actor.
            #expect(try client.send("POST", "/v1/actors", json: Self.austin).status == 201)
            #expect(try client.send("POST", "/v1/meetings", json: Self.meeting).status == 201)
            let afterMeeting = try client.newestSeq()
            #expect(afterMeeting == before + 2)
            #expect(try client.send("DELETE", "/v1/actors/hun-sen").status == 409)
            #expect(try client.newestSeq() == afterMeeting)
            #expect(try client.allChanges(since: afterMeeting).isEmpty)
        }
    }

    @Test func importLinesAppendWhatTheyChangedAndAFailedImportNothing() throws {
        try WritingClient.with { client, _ in
            let first = try ImportRoutesTests.post(
                client,
                ImportRoutesTests.lines(ImportRoutesTests.meeting, ImportRoutesTests.actorA, ImportRoutesTests.actorB))
            #expect(first.status == 200, "\(first.bodyString)")
            let created = try client.allChanges()
            // Numbered kind by kind, references first.
            #expect(
                created.map(WritingClient.describe) == [
                    "create actor/a v1", "create actor/b v1", "create meeting/m v1",
                ])
            // An import's changes carry their record as GET answers it.
            for change in created {
                let path = "/v1/\(change["type"] as? String ?? "")s/\(change["id"] as? String ?? "")"
                #expect(Self.sameJSON(change["record"], try client.get(path).jsonObject()), "\(change)")
            }

            // Unchanged lines append nothing; a changed line appends one update.
            let renamed = ImportRoutesTests.actorA.replacingOccurrences(of: #""name":"A""#, with: #""name":"Ana""#)
            let second = try ImportRoutesTests.post(
                client, ImportRoutesTests.lines(ImportRoutesTests.actorB, renamed, ImportRoutesTests.meeting))
            #expect(second.status == 200, "\(second.bodyString)")
            #expect(try ImportRoutesTests.counts(second) == [0, 1, 2, 0])
            let updated = try client.allChanges(since: 3)
            #expect(updated.map(WritingClient.describe) == ["update actor/a v2"])
            #expect((updated.first?["record"] as? [String: Any])?["name"] as? String == "Ana")
            // The create before it still shows the record as it was then.
            let createA = try client.allChanges().first { $0["id"] as? String == "a" }
            #expect((createA?["record"] as? [String: Any])?["name"] as? String == "A")
            #expect((createA?["record"] as? [String: Any])?["version"] as? Int == 1)

            // All or nothing: one bad line and nothing at all.
            let failed = try ImportRoutesTests.post(
                client,
                ImportRoutesTests.lines(
                    #"{"type":"actor","id":"c","kind":"person","name":"C","country":"KH"}"#,
                    renamed.replacingOccurrences(of: "Ana", with: "Anna"),
                    #"{"type":"actor","id":"d","kind":"person","name":"D","country":"XX"}"#))
            #expect(failed.status == 422)
            #expect(try client.newestSeq() == 4)
            // A dry run neither.
            let dry = try ImportRoutesTests.post(
                client, ImportRoutesTests.lines(renamed.replacingOccurrences(of: "Ana", with: "Anna")),
                query: "?dry_run=true")
            #expect(dry.status == 200, "\(dry.bodyString)")
            #expect(try client.newestSeq() == 4)
        }
    }

    @Test func anImportedRecordUpdatedThenDeletedKeepsEachVersion() throws {
        try WritingClient.with { client, _ in
            let imported = try ImportRoutesTests.post(client, ImportRoutesTests.lines(ImportRoutesTests.actorA))
            #expect(imported.status == 200)
            // The next change renders the import's change first, as the record was before it.
            #expect(
                try client.send(
                    "PATCH", "/v1/actors/a", json: #"{"name":"Ana"}"#, contentType: "application/merge-patch+json"
                ).status == 200)
            // Imported again and deleted: the import's update keeps v3, the delete says v3.
            let renamed = ImportRoutesTests.actorA.replacingOccurrences(of: #""name":"A""#, with: #""name":"Anna""#)
            #expect(try ImportRoutesTests.post(client, ImportRoutesTests.lines(renamed)).status == 200)
            #expect(try client.send("DELETE", "/v1/actors/a").status == 204)
            let changes = try client.allChanges()
            #expect(
                changes.map(WritingClient.describe) == [
                    "create actor/a v1", "update actor/a v2", "update actor/a v3", "delete actor/a v3",
                ])
            let names = changes.map { ($0["record"] as? [String: Any])?["name"] as? String }
            #expect(names == ["A", "Ana", "Anna", nil])
            let versions = changes.map { ($0["record"] as? [String: Any])?["version"] as? Int }
            #expect(versions == [1, 2, 3, nil])
        }
    }

    @Test func anIdempotentRetryAppendsNothing() throws {
        try WritingClient.with { client, _ in
            let key = [("Idempotency-Key", "retry-1")]
            #expect(try client.send("POST", "/v1/actors", json: Self.hunSen, headers: key).status == 201)
            let replayed = try client.send("POST", "/v1/actors", json: Self.hunSen, headers: key)
            #expect(replayed.status == 201)
            #expect(try client.summary(since: 0) == ["create actor/hun-sen v1"])
        }
    }

    /// One import that names a record twice: each line that changed something is one change.
    @Test func oneImportNamingARecordTwice() throws {
        try WritingClient.with { client, _ in
            let renamed = ImportRoutesTests.actorA.replacingOccurrences(of: #""name":"A""#, with: #""name":"Ana""#)
            let response = try ImportRoutesTests.post(
                client, ImportRoutesTests.lines(ImportRoutesTests.actorA, renamed))
            #expect(response.status == 200, "\(response.bodyString)")
            let current = try client.get("/v1/actors/a").jsonObject()
            let changes = try client.allChanges()
            let version = current["version"] as? Int ?? 0
            // As many changes as versions, the last one the record as it is.
            #expect(changes.count == version, "\(changes.map(WritingClient.describe)) for version \(version)")
            #expect(Self.sameJSON(changes.last?["record"], current))
            let names = changes.map { ($0["record"] as? [String: Any])?["name"] as? String }
            #expect(names.first == "A", "the first change is the record as the first line made it")
            #expect(names.last == "Ana")
            #expect(Set(changes.compactMap { $0["seq"] as? Int }).count == changes.count)
        }
    }

    /// "The change carries the record as it was right after that change": its own fields always.
    /// A POST stores the representation it answered with, derived fields included; an import
    /// leaves its records for the feed to render when read (rendering each would cost imports
    /// their speed), so until such a record changes again its derived fields — here a
    /// participant's name — are those of the time of reading (`docs/change-feed.md`).
    @Test func aCreateKeepsItsOwnFieldsAndAnImportedOneShowsDerivedFieldsAsRead() throws {
        try WritingClient.with { client, _ in
            let posted = ImportRoutesTests.meeting.replacingOccurrences(
                of: #""type":"meeting","id":"m""#, with: #""id":"p""#)
            let imported = try ImportRoutesTests.post(
                client,
                ImportRoutesTests.lines(ImportRoutesTests.actorA, ImportRoutesTests.actorB, ImportRoutesTests.meeting))
            #expect(imported.status == 200, "\(imported.bodyString)")
            #expect(try client.send("POST", "/v1/meetings", json: posted).status == 201)
            #expect(
                try client.send(
                    "PATCH", "/v1/actors/a", json: #"{"name":"Ana"}"#, contentType: "application/merge-patch+json"
                ).status == 200)
            let creates = try client.allChanges().filter { $0["type"] as? String == "meeting" }
            let records = creates.compactMap { $0["record"] as? [String: Any] }
            let names = records.map { record in
                ((record["participants"] as? [[String: Any]])?.first?["name"] as? String) ?? "?"
            }
            #expect(creates.map { $0["id"] as? String ?? "" } == ["m", "p"])
            #expect(names == ["Ana", "A"], "the posted meeting's create keeps the name it was written with")
            #expect(records.map { $0["version"] as? Int } == [1, 1])
            // Once the imported meeting changes, its first change keeps what it showed just before.
            #expect(
                try client.send(
                    "PATCH", "/v1/meetings/m", json: #"{"title":"A meets B again"}"#,
                    contentType: "application/merge-patch+json"
                ).status == 200)
            #expect(
                try client.send(
                    "PATCH", "/v1/actors/a", json: #"{"name":"Anna"}"#, contentType: "application/merge-patch+json"
                ).status == 200)
            let first = try client.allChanges().first {
                $0["type"] as? String == "meeting" && $0["id"] as? String == "m"
            }
            let kept = ((first?["record"] as? [String: Any])?["participants"] as? [[String: Any]])?.first?["name"]
            #expect(kept as? String == "Ana")
        }
    }

    /// A write transaction that appends and then fails leaves no number taken and no change.
    @Test func aRolledBackWriteLeavesNoGap() throws {
        try WritingClient.with { client, app in
            #expect(try client.send("POST", "/v1/actors", json: Self.hunSen).status == 201)
            struct Undo: Error {}
            #expect(throws: Undo.self) {
                try app.store.write { db in
                    try ChangeLog.append(
                        .init(
                            type: "actor", id: "ghost", op: .create, version: 1, at: "2024-01-01T00:00:00.000Z",
                            record: nil),
                        in: db)
                    throw Undo()
                }
            }
            #expect(try client.send("POST", "/v1/actors", json: Self.austin).status == 201)
            let changes = try client.allChanges()
            #expect(changes.compactMap { $0["seq"] as? Int } == [1, 2])
            #expect(changes.compactMap { $0["id"] as? String } == ["hun-sen", "lloyd-austin"])
        }
    }

    // MARK: Order and exactly once

    /// Follows the feed `limit` at a time and checks it against the ids written.
    static func expectExactlyOnce(_ client: WritingClient, ids: Set<String>, total: Int) throws {
        let changes = try client.allChanges(limit: 7)
        let seqs = changes.compactMap { $0["seq"] as? Int }
        #expect(seqs.count == total)
        #expect(seqs == Array(1..<(total + 1)), "seqs strictly increase from 1 with no gap")
        #expect(Set(seqs).count == seqs.count, "no duplicate")
        let created = changes.filter { $0["op"] as? String == "create" }.compactMap { $0["id"] as? String }
        #expect(created.count == ids.count)
        #expect(Set(created) == ids, "every created id exactly once")
        #expect(changes.allSatisfy { $0["record"] is [String: Any] })
    }

    /// POSTs `threads` × `perThread` sources at once through `servers` (in turn) and returns
    /// the ids created.
    static func writeConcurrently(
        _ servers: [HTTPServer], token: String, threads: Int = 8, perThread: Int = 25
    ) -> (ids: Set<String>, failures: [String]) {
        let results = Mutex<(ids: Set<String>, failures: [String])>(([], []))
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for index in 0..<perThread {
                    let id = "s-\(thread)-\(index)"
                    let server = servers[(thread + index) % servers.count]
                    do {
                        let response = try server.request(
                            "POST", "/v1/sources",
                            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                            body: Array(#"{"id":"\#(id)","title":"T \#(id)","url":"https://example.org/\#(id)"}"#.utf8))
                        if response.status == 201 {
                            results.withLock { _ = $0.ids.insert(id) }
                        } else {
                            results.withLock { $0.failures.append("\(id): \(response.status) \(response.bodyString)") }
                        }
                    } catch {
                        results.withLock { $0.failures.append("\(id): \(error)") }
                    }
                }
            }
        }
        group.wait()
        return results.withLock { $0 }
    }

    @Test func concurrentWritersAreFollowedInOrderExactlyOnce() throws {
        try WritingClient.with { client, _ in
            let written = Self.writeConcurrently([client.server], token: client.token)
            #expect(written.failures.isEmpty, "\(written.failures.prefix(3))")
            try Self.expectExactlyOnce(client, ids: written.ids, total: written.ids.count)
        }
    }

    /// A reader following the feed while the writers write sees every change once, in order.
    @Test func aReaderFollowingDuringTheWritesMissesNothing() throws {
        try WritingClient.with { client, _ in
            let done = Atomic(false)
            let seen = Mutex<[Int]>([])
            let readerDone = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                defer { readerDone.signal() }
                var cursor = 0
                while true {
                    let finished = done.load(ordering: .sequentiallyConsistent)
                    guard let page = try? client.changePage("since=\(cursor)&limit=5&include=none") else { return }
                    seen.withLock { $0 += page.changes.compactMap { $0["seq"] as? Int } }
                    cursor = Int(page.next) ?? cursor
                    if finished && page.changes.isEmpty { return }
                }
            }
            let written = Self.writeConcurrently([client.server], token: client.token, threads: 4, perThread: 20)
            done.store(true, ordering: .sequentiallyConsistent)
            #expect(readerDone.wait(timeout: .now() + 20) == .success)
            #expect(written.failures.isEmpty)
            #expect(seen.withLock { $0 } == Array(1...80))
        }
    }

    // MARK: Filters and validation

    @Test func typesAndIncludeNoneFilter() throws {
        try WritingClient.with { client, _ in
            for body in [Self.hunSen, Self.austin] {
                #expect(try client.send("POST", "/v1/actors", json: body).status == 201)
            }
            #expect(try client.send("POST", "/v1/meetings", json: Self.meeting).status == 201)
            #expect(try client.send("DELETE", "/v1/meetings/m1").status == 204)
            let meetings = try client.changePage("since=0&types=meeting")
            #expect(
                meetings.changes.map(WritingClient.describe) == [
                    "create meeting/m1 v1", "delete meeting/m1 v1",
                ])
            #expect(meetings.next == "4")
            let both = try client.changePage("types=meeting,actor&limit=3")
            #expect(both.changes.count == 3)
            #expect(both.next == "3")
            let repeated = try client.changePage("types=meeting&types=actor")
            #expect(repeated.changes.count == 4)
            // A filtered page that is not full moves the cursor to the newest change.
            let none = try client.changePage("since=0&types=statement")
            #expect(none.changes.isEmpty)
            #expect(none.next == "4")

            let light = try client.changePage("since=0&include=none")
            #expect(light.changes.count == 4)
            for change in light.changes {
                #expect(!change.keys.contains("record"), "\(change)")
                #expect(Set(change.keys) == ["seq", "type", "id", "op", "version", "at"])
            }
            let full = try client.changePage("include=record")
            #expect(full.changes.allSatisfy { $0.keys.contains("record") })
        }
    }

    @Test func badParametersAre400() throws {
        try WritingClient.with { client, _ in
            #expect(try client.send("POST", "/v1/actors", json: Self.hunSen).status == 201)
            for query in [
                "limit=0", "limit=1001", "limit=-1", "limit=x", "since=x", "since=-1", "since=1.5", "since=",
                "types=planet", "include=all", "include=record&include=none", "cursor=1",
                "since=1&since=2", "since=%2B1",
            ] {
                let response = try client.get("/v1/changes?\(query)")
                #expect(response.status == 400, "\(query): \(response.bodyString)")
                #expect(response["Content-Type"] == "application/problem+json", "\(query)")
            }
            // A since ahead of the feed (a cursor from another database) finds nothing yet.
            let ahead = try client.get("/v1/changes?since=99")
            #expect(ahead.status == 200)
            #expect(ahead.bodyString == #"{"data":[],"next_cursor":"99"}"#)
        }
    }

    @Test func limitBoundsAreAccepted() throws {
        try WritingClient.with { client, _ throws in
            #expect(try client.send("POST", "/v1/actors", json: Self.hunSen).status == 201)
            #expect(try client.send("POST", "/v1/actors", json: Self.austin).status == 201)
            #expect(try client.changePage("limit=1").changes.count == 1)
            #expect(try client.changePage("limit=1").next == "1")
            #expect(try client.changePage("limit=1000").changes.count == 2)
            #expect(try client.changePage("since=2").changes.isEmpty)
            #expect(try client.changePage("since=2").next == "2")
        }
    }

    // MARK: Retention

    @Test func aSinceOlderThanWhatIsKeptIs410() throws {
        try WritingClient.with { client, app in
            for index in 0..<10 {
                let body = #"{"id":"s\#(index)","title":"T\#(index)","url":"https://example.org/\#(index)"}"#
                #expect(try client.send("POST", "/v1/sources", json: body).status == 201)
            }
            let pruned = try ChangeRetention(rows: 4).prune(app.store, now: WallClock.secondsSinceEpoch())
            #expect(pruned == 6)
            for since in [0, 5] {
                let gone = try client.get("/v1/changes?since=\(since)")
                #expect(gone.status == 410, "\(since): \(gone.bodyString)")
                #expect(gone["Content-Type"] == "application/problem+json")
                #expect(gone.bodyString.contains("/v1/export"))
            }
            #expect(try client.get("/v1/changes").status == 410, "no since is since=0")
            let kept = try client.changePage("since=6")
            #expect(kept.changes.compactMap { $0["seq"] as? Int } == [7, 8, 9, 10])
            // Pruning again keeps as many; nothing more to prune.
            #expect(try ChangeRetention(rows: 4).prune(app.store, now: WallClock.secondsSinceEpoch()) == 0)
            #expect(try ChangeRetention().prune(app.store, now: WallClock.secondsSinceEpoch()) == 0)
            // By age: everything is older than a day from a week ahead.
            let weekAhead = WallClock.secondsSinceEpoch() + 7 * 86_400
            #expect(try ChangeRetention(days: 1).prune(app.store, now: weekAhead) == 4)
            #expect(try client.get("/v1/changes?since=9").status == 410)
            #expect(try client.changePage("since=10").changes.isEmpty)
            #expect(try client.send("POST", "/v1/actors", json: Self.hunSen).status == 201)
            #expect(try client.changePage("since=10").changes.compactMap { $0["seq"] as? Int } == [11])
        }
    }
}

/// Two nodes on one PostgreSQL database: writers on both, one feed in commit order.
@Suite("Change feed across two nodes", .enabled(if: TestPostgres.isConfigured, "needs BILATERAL_TEST_POSTGRES"))
struct ChangeFeedTwoNodeTests {
    /// An import through one node (COPY, a chunk at a time) while single writes go through the
    /// other: the import's changes and the writes' never interleave out of commit order.
    @Test func anImportOnOneNodeAndWritesOnTheOther() throws {
        try TwoNodeTests.withTwoNodes { a, b, token in
            let writerA = WritingClient(server: a, token: token)
            let lines = (1...1500).map {
                #"{"type":"source","id":"i\#($0)","title":"I\#($0)","url":"https://example.org/i\#($0)"}"#
            }
            let group = DispatchGroup()
            let importStatus = Mutex(0)
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let response = try? ImportRoutesTests.post(writerA, Array(lines.joined(separator: "\n").utf8))
                importStatus.withLock { $0 = response?.status ?? -1 }
            }
            let written = ChangeFeedTests.writeConcurrently([b], token: token, threads: 2, perThread: 15)
            group.wait()
            #expect(importStatus.withLock { $0 } == 200)
            #expect(written.failures.isEmpty, "\(written.failures.prefix(3))")
            let changes = try WritingClient(server: b, token: token).allChanges(limit: 333)
            #expect(changes.compactMap { $0["seq"] as? Int } == Array(1...1530))
            // The import's 1,500 changes are consecutive: one transaction holds the clock.
            let positions = changes.enumerated().filter { ($0.element["id"] as? String)?.hasPrefix("i") == true }
                .map(\.offset)
            #expect(positions.count == 1500)
            #expect(positions.last.map { $0 - (positions.first ?? 0) } == 1499)
        }
    }
    @Test func writersOnBothNodesAreFollowedInOrderExactlyOnce() throws {
        try TwoNodeTests.withTwoNodes { a, b, token in
            let written = ChangeFeedTests.writeConcurrently([a, b], token: token)
            #expect(written.failures.isEmpty, "\(written.failures.prefix(3))")
            try ChangeFeedTests.expectExactlyOnce(WritingClient(server: a, token: token), ids: written.ids, total: 200)
            let fromA = try WritingClient(server: a, token: token).allChanges(limit: 7)
            let fromB = try WritingClient(server: b, token: token).allChanges(limit: 7)
            #expect(fromA.map(WritingClient.describe) == fromB.map(WritingClient.describe))
        }
    }
}
