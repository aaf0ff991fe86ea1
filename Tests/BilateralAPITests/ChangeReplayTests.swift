import Foundation
import HTTPCore
import HTTPTestSupport
import PostgresStore
import SQLiteStore
import Storage
import StoreTestSupport
import Testing

@testable import BilateralAPI

/// The change feed alone rebuilds the database, and migration 14 seeds it with the records
/// already there (issue 15).
@Suite("Change feed: replay and migration")
struct ChangeReplayTests {
    static let post: [(String, String)] = [
        ("/v1/sources", #"{"id":"s1","title":"Press release","url":"https://example.org/1"}"#),
        ("/v1/sources", #"{"id":"s2","title":"Report","url":"https://example.org/2"}"#),
        ("/v1/actors", #"{"id":"senate-kh","kind":"organization","name":"Senate of Cambodia","country":"KH"}"#),
        (
            "/v1/actors",
            #"{"id":"hun-sen","kind":"person","name":"Hun Sen","country":"KH","roles":[{"title":"President","organization_id":"senate-kh"}]}"#
        ),
        ("/v1/actors", #"{"id":"lloyd-austin","kind":"person","name":"Lloyd Austin","country":"US"}"#),
        (
            "/v1/meetings",
            #"{"id":"m1","title":"Austin meets Hun Sen","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"lloyd-austin","role":"guest"},{"actor_id":"hun-sen","role":"host"}],"source_ids":["s1"]}"#
        ),
        (
            "/v1/statements",
            #"{"id":"st1","speaker_id":"hun-sen","date":"2024-06-04","channel":"social_media","text":"Hello","meeting_id":"m1"}"#
        ),
        (
            "/v1/initiatives",
            #"{"id":"demining","title":"Demining","area":"demining","countries":["KH","US"],"status":"proposed","status_date":"2024-06-04","meeting_ids":["m1"]}"#
        ),
    ]

    /// Creates, updates (PUT, PATCH, a status change, import lines), deletes, a record deleted and
    /// made again, records an import made and one updated after.
    static func writeMix(_ client: WritingClient) throws {
        for (path, body) in post {
            let response = try client.send("POST", path, json: body)
            #expect(response.status == 201, "\(path): \(response.bodyString)")
        }
        let patch = "application/merge-patch+json"
        let steps: [(String, String, String?, String)] = [
            (
                "PUT", "/v1/sources/s2", #"{"title":"Report, revised","url":"https://example.org/2b"}"#,
                "application/json"
            ),
            ("PATCH", "/v1/actors/lloyd-austin", #"{"description":"Secretary of Defense"}"#, patch),
            ("PATCH", "/v1/meetings/m1", #"{"summary":"Talks on demining"}"#, patch),
            (
                "POST", "/v1/initiatives/demining/status-changes", #"{"status":"agreed","date":"2024-09-01"}"#,
                "application/json"
            ),
            ("DELETE", "/v1/statements/st1", nil, ""),
            (
                "PUT", "/v1/statements/st1",
                #"{"speaker_id":"lloyd-austin","date":"2024-06-05","channel":"press_statement","text":"Again"}"#,
                "application/json"
            ),
            ("DELETE", "/v1/sources/s2", nil, ""),
        ]
        for (method, path, body, type) in steps {
            let response = try client.send(method, path, json: body, contentType: type)
            #expect((200..<300).contains(response.status), "\(method) \(path): \(response.bodyString)")
        }
        let imported = try ImportRoutesTests.post(
            client,
            ImportRoutesTests.lines(
                ImportRoutesTests.meeting, ImportRoutesTests.actorA, ImportRoutesTests.actorB,
                #"{"type":"actor","id":"lloyd-austin","kind":"person","name":"Lloyd J. Austin","country":"US","description":"Secretary of Defense"}"#,
                #"{"type":"source","id":"s3","title":"Wire","url":"https://example.org/3"}"#))
        #expect(imported.status == 200, "\(imported.bodyString)")
        #expect(try ImportRoutesTests.counts(imported) == [4, 1, 0, 0])
        // Made by the import, then changed.
        #expect(
            try client.send("PATCH", "/v1/actors/a", json: #"{"name":"Ana"}"#, contentType: patch).status == 200)
        #expect(
            try client.send("PATCH", "/v1/meetings/m", json: #"{"summary":"Met"}"#, contentType: patch).status == 200)
        // Made by the import, then deleted.
        #expect(try client.send("DELETE", "/v1/sources/s3").status == 204)
    }

    /// Applies `changes` in order: PUT each record, DELETE each tombstone.
    static func replay(_ changes: [[String: Any]], into client: WritingClient) throws {
        for change in changes {
            let type = try #require(change["type"] as? String)
            let id = try #require(change["id"] as? String)
            let path = "/v1/\(type)s/\(id)"
            if change["op"] as? String == "delete" {
                let response = try client.send("DELETE", path)
                #expect(response.status == 204, "\(WritingClient.describe(change)): \(response.bodyString)")
                continue
            }
            let record = try #require(change["record"] as? [String: Any], "\(WritingClient.describe(change))")
            let body = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
            let response = try client.send("PUT", path, json: body)
            #expect(
                response.status == 200 || response.status == 201,
                "\(WritingClient.describe(change)): \(response.bodyString)")
            #expect(
                (try? response.jsonObject()["version"] as? Int) == change["version"] as? Int,
                "\(WritingClient.describe(change)): the replayed version")
        }
    }

    /// The export's lines without what only the original's clock decides (`created_at`, `updated_at`).
    static func export(_ client: WritingClient) throws -> [String] {
        let response = try client.get("/v1/export")
        #expect(response.status == 200)
        return try response.bodyString.split(separator: "\n").map { line in
            guard var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestFailure("not an object: \(line)")
            }
            object["created_at"] = nil
            object["updated_at"] = nil
            return String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    @Test func replayingTheFeedIntoAnEmptyDatabaseGivesTheSameExport() throws {
        try WritingClient.with { original, app in
            try Self.writeMix(original)
            let changes = try original.allChanges(limit: 5)
            // 8 POSTs, 7 writes, an import of 4 new records and an update, 3 writes after it.
            #expect(changes.count == 23)
            let expected = try Self.export(original)
            #expect(expected.count == 10)
            try withAPIServer(backends: [app.store.backend]) { server, copyApp, _ in
                let (_, token) = try copyApp.store.write {
                    try APIKeyRepository().create(name: "replay", scope: .write, in: $0)
                }
                let copy = WritingClient(server: server, token: token)
                try Self.replay(changes, into: copy)
                #expect(try Self.export(copy) == expected)
                // The copy's own feed has as many changes, in the same order.
                let replayed = try copy.allChanges()
                #expect(replayed.map(WritingClient.describe) == changes.map(WritingClient.describe))
            }
        }
    }

    // MARK: Migration 14

    /// Runs `body` with a store of `backend` migrated up to `version` only.
    static func withStore<T>(
        _ backend: Backend, migratedTo version: Int, _ body: (any DatabaseStore) throws -> T
    ) throws -> T {
        let plan = Schema.plan(for: backend)
        let partial = MigrationPlan(
            plan.migrations.filter { $0.version <= version }, beforeEachCommit: plan.beforeEachCommit)
        switch backend {
        case .sqlite:
            let directory = try TemporaryDirectory()
            return try withExtendedLifetime(directory) {
                let pool = try SQLitePool(path: directory.databasePath)
                defer { pool.close() }
                _ = try pool.migrate(partial)
                return try body(pool)
            }
        case .postgresql:
            return try TestPostgres.withPool { pool, _ in
                _ = try pool.migrate(partial)
                return try body(pool)
            }
        }
    }

    @Test(arguments: TestStore.backends)
    func migration14SeedsACreateChangePerRecord(_ backend: Backend) throws {
        try Self.withStore(backend, migratedTo: 13) { store in
            let stamp = "'2024-01-02T03:04:05.000Z'"
            try store.write { db in
                try db.execute(
                    "INSERT INTO sources (id, title, url, created_at, updated_at, version) VALUES ('src-b', 'B', 'https://example.org/b', \(stamp), \(stamp), 1)",
                    [])
                try db.execute(
                    "INSERT INTO sources (id, title, url, created_at, updated_at, version) VALUES ('src-a', 'A', 'https://example.org/a', \(stamp), \(stamp), 2)",
                    [])
                for (id, kind, version) in [("zed", "person", 1), ("un", "organization", 3), ("abe", "person", 1)] {
                    try db.execute(
                        "INSERT INTO actors (id, kind, name, country, created_at, updated_at, version) VALUES ('\(id)', '\(kind)', 'N \(id)', 'FR', \(stamp), \(stamp), \(version))",
                        [])
                }
            }
            try Schema.migrate(store)
            let page = try store.read { db in
                try ChangeFeed.read(.init(since: 0, types: [], limit: 100, includeRecord: true), in: db)
            }
            let changes = try page.changes.map { bytes in
                try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            }
            // Export order: sources, then organizations before persons, each by id.
            #expect(
                changes.map(WritingClient.describe) == [
                    "create source/src-a v2", "create source/src-b v1", "create actor/un v3", "create actor/abe v1",
                    "create actor/zed v1",
                ])
            #expect(page.sequence == [1, 2, 3, 4, 5])
            #expect(page.nextSince == 5)
            #expect(changes.allSatisfy { $0["at"] as? String == "2024-01-02T03:04:05.000Z" })
            #expect((changes[2]["record"] as? [String: Any])?["name"] as? String == "N un")

            // The next write is number 6, and a seeded record changed keeps its seeded change as it was.
            let clock = try store.read { try ChangeFeed.Clock.read(in: $0) }
            #expect(clock == ChangeFeed.Clock(lastSeq: 5, prunedThrough: 0))
            let app = try BilateralApp(
                store: store, configuration: APIConfiguration(), log: AccessLog(flushInterval: .never, output: { _ in })
            )
            let server = try HTTPServer(configuration: .test(), responder: app.responder, hooks: app.serverHooks)
            defer {
                server.shutdown()
                app.stop()
            }
            let (_, token) = try store.write { try APIKeyRepository().create(name: "tests", scope: .write, in: $0) }
            let client = WritingClient(server: server, token: token)
            #expect(
                try client.send(
                    "PATCH", "/v1/actors/un", json: #"{"name":"United Nations"}"#,
                    contentType: "application/merge-patch+json"
                ).status == 200)
            let all = try client.allChanges()
            #expect(all.count == 6)
            #expect(WritingClient.describe(all[5]) == "update actor/un v4")
            #expect(all[5]["seq"] as? Int == 6)
            #expect((all[2]["record"] as? [String: Any])?["name"] as? String == "N un")
            #expect((all[5]["record"] as? [String: Any])?["name"] as? String == "United Nations")
        }
    }

    @Test(arguments: TestStore.backends)
    func migration14OnAnEmptyDatabaseStartsAtZero(_ backend: Backend) throws {
        try Self.withStore(backend, migratedTo: 14) { store in
            let clock = try store.read { try ChangeFeed.Clock.read(in: $0) }
            #expect(clock == ChangeFeed.Clock(lastSeq: 0, prunedThrough: 0))
        }
    }
}
