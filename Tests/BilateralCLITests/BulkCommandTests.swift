import Foundation
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

/// `bilateral import`, `export` and `backup` on a database a server is using, and what a
/// SIGKILL in the middle of an import leaves behind.
@Suite("bilateral import, export, backup; crash safety")
struct BulkCommandTests {
    static func actorLines(_ prefix: String, count: Int) -> String {
        (0..<count).map {
            #"{"type":"actor","id":"\#(prefix)-\#($0)","kind":"person","name":"\#(prefix) number \#($0)","country":"KH"}"#
        }.joined(separator: "\n") + "\n"
    }

    static func send(
        _ method: String, _ target: String, port: Int, token: String, contentType: String = "application/json",
        body: String
    ) throws -> RawResponse {
        let client = try RawClient.connect(port: port)
        defer { client.close() }
        try client.send(
            "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try client.readResponse()
    }

    static func count(_ table: String, in path: String) throws -> Int {
        let pool = try SQLitePool(path: path)
        defer { pool.close() }
        return try pool.read { try $0.scalar("SELECT count(*) FROM \(table)")?.int } ?? -1
    }

    @Test func importExportAndBackupWhileAServerRuns() throws {
        let directory = try TemporaryDirectory()
        let db = directory.file("db.sqlite")
        let token = try #require(
            try runBilateral(["keys", "create", "--name", "t", "--db", db], in: directory.path).stdout
                .split(separator: "\n").last.map(String.init))
        let server = try ServeProcess(["--port", "0", "--db", db], in: directory.path)
        #expect(
            try Self.send(
                "PUT", "/v1/actors/served", port: server.port, token: token,
                body: #"{"kind":"person","name":"Served","country":"US"}"#
            ).status == 201)

        try Data(Self.actorLines("file", count: 50).utf8).write(to: URL(fileURLWithPath: directory.file("in.ndjson")))
        let imported = try runBilateral(["import", "in.ndjson", "--db", db], in: directory.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "created 50, updated 0, unchanged 0, failed 0\n")
        #expect(try BilateralCLITests.get("/v1/actors/file-7", port: server.port).status == 200)

        let again = try runBilateral(
            ["import", "-", "--db", db, "--json"], in: directory.path, stdin: directory.file("in.ndjson"))
        #expect(again.stdout == #"{"created":0,"updated":0,"unchanged":50,"failed":0,"errors":[]}"# + "\n")

        let export = try runBilateral(["export", "--db", db], in: directory.path)
        #expect(export.status == 0)
        #expect(export.stdout.split(separator: "\n").count == 51)
        let viaHTTP = try BilateralCLITests.get("/v1/export", port: server.port).bodyString
        #expect(viaHTTP == export.stdout)
        let onlyActors = try runBilateral(["export", "--db", db, "--types", "meeting,source"], in: directory.path)
        #expect(onlyActors.status == 0 && onlyActors.stdout.isEmpty)
        #expect(try runBilateral(["export", "--db", db, "--types", "planet"], in: directory.path).status != 0)

        let backup = try runBilateral(["backup", directory.file("copy.sqlite"), "--db", db], in: directory.path)
        #expect(backup.status == 0, "\(backup.stderr)")
        let copy = try SQLitePool(path: directory.file("copy.sqlite"))
        #expect(try copy.integrityCheck() == ["ok"])
        #expect(try copy.read { try $0.scalar("SELECT count(*) FROM actors")?.int } == 51)
        copy.close()
        #expect(try runBilateral(["backup", "x.sqlite", "--db", "missing.sqlite"], in: directory.path).status != 0)
        _ = server.stop(with: SIGTERM)
    }

    @Test func aBadLineFailsTheCommandAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let db = directory.file("db.sqlite")
        let path = directory.file("bad.ndjson")
        try Data((Self.actorLines("ok", count: 3) + "{\"type\":\"actor\",\"id\":\"x\"}\n").utf8).write(
            to: URL(fileURLWithPath: path))
        let refused = try runBilateral(["import", path, "--db", db], in: directory.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("Nothing was imported: 1 line(s) are invalid.\nline 4 (x): invalid actor"))
        #expect(try Self.count("actors", in: db) == 0)
        let dryRun = try runBilateral(
            ["import", path, "--db", db, "--dry-run", "--mode", "partial"], in: directory.path)
        #expect(dryRun.stderr.hasPrefix("Dry run, nothing written: created 3, updated 0, unchanged 0, failed 1"))
        let partial = try runBilateral(["import", path, "--db", db, "--mode", "partial"], in: directory.path)
        #expect(partial.status == 1)
        #expect(try Self.count("actors", in: db) == 3)
    }

    /// SIGKILL in the middle of a large import: after a restart the database is sound, holds
    /// every write acknowledged before the kill (a single write, a whole import), and nothing of
    /// the import that was cut — in the records and in the change feed.
    @Test func aServerKilledMidImportKeepsEveryAcknowledgedWriteAndNoneOfTheImport() throws {
        let directory = try TemporaryDirectory()
        let db = directory.file("db.sqlite")
        let token = try #require(
            try runBilateral(["keys", "create", "--name", "t", "--db", db], in: directory.path).stdout
                .split(separator: "\n").last.map(String.init))
        let server = try ServeProcess(["--port", "0", "--db", db], in: directory.path)
        let single = try Self.send(
            "PUT", "/v1/actors/acknowledged", port: server.port, token: token,
            body: #"{"kind":"person","name":"Acknowledged","country":"KH"}"#)
        #expect(single.status == 201)
        let whole = try Self.send(
            "POST", "/v1/import", port: server.port, token: token, contentType: "application/x-ndjson",
            body: Self.actorLines("whole", count: 500))
        #expect(whole.status == 200, "\(whole.bodyString)")

        // The cut import: chunked, about half of 20,000 lines sent, then the kill.
        let lines = Array(Self.actorLines("cut", count: 20_000).utf8)
        let client = try RawClient.connect(port: server.port)
        try client.send(
            "POST /v1/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
        var offset = 0
        while offset < lines.count / 2 {
            let end = min(offset + 32 * 1024, lines.count)
            try client.send(
                Array("\(String(end - offset, radix: 16))\r\n".utf8) + lines[offset..<end] + Array("\r\n".utf8))
            offset = end
        }
        blockingSleep(.milliseconds(500))
        #expect(server.stop(with: SIGKILL, timeout: .seconds(5)) != nil)
        client.close()

        let restarted = try ServeProcess(["--port", "0", "--db", db], in: directory.path)
        #expect(try BilateralCLITests.get("/v1/actors/acknowledged", port: restarted.port).status == 200)
        #expect(try BilateralCLITests.get("/v1/actors/whole-499", port: restarted.port).status == 200)
        #expect(try BilateralCLITests.get("/v1/actors/cut-0", port: restarted.port).status == 404)
        // The change feed neither: the acknowledged writes' changes, numbered on without a gap.
        let after = try Self.send(
            "PUT", "/v1/actors/after", port: restarted.port, token: token,
            body: #"{"kind":"person","name":"After","country":"KH"}"#)
        #expect(after.status == 201)
        var seqs: [Int] = []
        var ids: [String] = []
        var cursor = "0"
        while true {
            let page = try BilateralCLITests.get(
                "/v1/changes?since=\(cursor)&limit=1000&include=none", port: restarted.port)
            let object = try JSONSerialization.jsonObject(with: Data(page.body)) as? [String: Any]
            let changes = (object?["data"] as? [[String: Any]]) ?? []
            if changes.isEmpty { break }
            seqs += changes.compactMap { $0["seq"] as? Int }
            ids += changes.compactMap { $0["id"] as? String }
            cursor = (object?["next_cursor"] as? String) ?? ""
        }
        #expect(seqs == Array(1...502))
        #expect(!ids.contains { $0.hasPrefix("cut-") })
        #expect(ids.last == "after")
        _ = restarted.stop(with: SIGTERM)

        let pool = try SQLitePool(path: db)
        defer { pool.close() }
        #expect(try pool.integrityCheck() == ["ok"])
        #expect(try pool.read { try $0.scalar("SELECT count(*) FROM actors")?.int } == 502)
        #expect(try pool.read { try $0.scalar("SELECT count(*) FROM actors WHERE id LIKE 'cut-%'")?.int } == 0)
    }
}
