import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

@testable import BilateralAPI

/// `POST /v1/import` over real sockets (SPEC, Bulk).
@Suite("POST /v1/import")
struct ImportRoutesTests {
    static let actorA = #"{"type":"actor","id":"a","kind":"person","name":"A","country":"KH"}"#
    static let actorB = #"{"type":"actor","id":"b","kind":"person","name":"B","country":"US"}"#
    static let meeting =
        #"{"type":"meeting","id":"m","title":"A meets B","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"a","role":"host"},{"actor_id":"b","role":"guest"}]}"#

    /// Sends an import with the client's key; `chunked` splits the body into 100-byte chunks.
    static func post(
        _ client: WritingClient, _ body: [UInt8], query: String = "", headers: [(String, String)] = [],
        contentType: String = "application/x-ndjson", chunked: Bool = false, token: String? = nil
    ) throws -> RawResponse {
        let connection = try RawClient.connect(port: client.server.port)
        defer { connection.close() }
        var head = "POST /v1/import\(query) HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(contentType)\r\n"
        head += "Authorization: Bearer \(token ?? client.token)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var bytes: [UInt8]
        if chunked {
            bytes = Array((head + "Transfer-Encoding: chunked\r\n\r\n").utf8)
            var start = 0
            while start < body.count {
                let end = min(start + 100, body.count)
                bytes += Array("\(String(end - start, radix: 16))\r\n".utf8) + body[start..<end] + Array("\r\n".utf8)
                start = end
            }
            bytes += Array("0\r\n\r\n".utf8)
        } else {
            bytes = Array((head + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
        }
        try connection.send(bytes)
        return try connection.readResponse()
    }

    static func lines(_ lines: String...) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }

    static func count(_ table: String, _ app: BilateralApp) throws -> Int {
        try app.store.read { try $0.scalar("SELECT count(*) FROM \(table)")?.int } ?? -1
    }

    static func counts(_ response: RawResponse) throws -> [Int] {
        let object = try response.jsonObject()
        return ["created", "updated", "unchanged", "failed"].map { (object[$0] as? Int) ?? -1 }
    }

    @Test func forwardReferencesAreResolvedAtTheEnd() throws {
        try WritingClient.with { client, app in
            let response = try Self.post(client, Self.lines(Self.meeting, Self.actorA, Self.actorB))
            #expect(response.status == 200, "\(response.bodyString)")
            #expect(response["Content-Type"] == "application/json")
            #expect(try Self.counts(response) == [3, 0, 0, 0])
            let meeting = try client.get("/v1/meetings/m").jsonObject()
            #expect(meeting["countries"] as? [String] == ["KH", "US"])
        }
    }

    @Test func meetingsAndInitiativesMayNameEachOther() throws {
        try WritingClient.with { client, _ in
            let initiative =
                #"{"type":"initiative","id":"i","title":"Demining","area":"demining","countries":["KH","US"],"status":"proposed","status_date":"2024-06-04","meeting_ids":["m"]}"#
            let meeting = Self.meeting.replacingOccurrences(
                of: #""kind":"meeting","#, with: #""kind":"meeting","initiative_ids":["i"],"#)
            let response = try Self.post(client, Self.lines(meeting, initiative, Self.actorA, Self.actorB))
            #expect(response.status == 200, "\(response.bodyString)")
            #expect(try Self.counts(response) == [4, 0, 0, 0])
            #expect(try client.get("/v1/initiatives/i").jsonObject()["meeting_ids"] as? [String] == ["m"])
        }
    }

    @Test func allOrNothingListsEveryBadLineAndWritesNothing() throws {
        try WritingClient.with { client, app in
            let body = Self.lines(
                Self.actorA, "", "   ", "[1,2]", "not json", #"{"type":"planet","id":"p"}"#,
                #"{"type":"actor","kind":"person","name":"No Id","country":"KH"}"#,
                #"{"type":"actor","id":"c","kind":"person","name":"C","country":"XX"}"#,
                #"{"type":"meeting","id":"m2","title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"ghost","role":"host"}]}"#,
                #"{"id":"no-type"}"#)
            let response = try Self.post(client, body)
            #expect(response.status == 422)
            #expect(response["Content-Type"] == "application/problem+json")
            let object = try response.jsonObject()
            #expect(object["status"] as? Int == 422)
            #expect(try Self.counts(response) == [0, 0, 0, 7])
            let errors = (object["errors"] as? [[String: Any]]) ?? []
            #expect(errors.compactMap { $0["line"] as? Int } == [4, 5, 6, 7, 8, 9, 10])
            #expect(errors.first { $0["line"] as? Int == 6 }?["id"] as? String == "p")
            let fields = { (line: Int) in
                ((errors.first { $0["line"] as? Int == line }?["errors"] as? [[String: Any]]) ?? []).compactMap {
                    $0["field"] as? String
                }
            }
            #expect(fields(7) == ["id"])
            #expect(fields(8) == ["country"])
            #expect(fields(9) == ["participants[0].actor_id"])
            #expect(fields(10) == ["type"])
            #expect(try Self.count("actors", app) == 0)
        }
    }

    @Test func partialModeCommitsTheGoodLines() throws {
        try WritingClient.with { client, app in
            let ghost = Self.meeting.replacingOccurrences(of: #""actor_id":"b""#, with: #""actor_id":"ghost""#)
            let statement =
                #"{"type":"statement","id":"s","speaker_id":"a","date":"2024-06-04","channel":"press_statement","text":"Hello","meeting_id":"m"}"#
            let response = try Self.post(
                client, Self.lines(ghost, statement, Self.actorA, "oops"), query: "?mode=partial")
            #expect(response.status == 200, "\(response.bodyString)")
            // The meeting names a missing actor; the statement names that meeting; both fail.
            #expect(try Self.counts(response) == [1, 0, 0, 3])
            let errors = (try response.jsonObject()["errors"] as? [[String: Any]]) ?? []
            #expect(errors.compactMap { $0["line"] as? Int } == [1, 2, 4])
            #expect(try Self.count("actors", app) == 1)
            #expect(try Self.count("meetings", app) == 0)
        }
    }

    /// A rule checked against the database before writing (a source url is unique) is a line error.
    @Test func aConflictIsALineError() throws {
        try WritingClient.with { client, app in
            let first = #"{"type":"source","id":"s1","title":"One","url":"https://example.org/a"}"#
            let second = #"{"type":"source","id":"s2","title":"Two","url":"https://example.org/a"}"#
            let waiting =
                #"{"type":"meeting","id":"mw","title":"T","date":"2024-06-04","kind":"meeting","participants":[{"actor_id":"a","role":"host"}],"source_ids":["s3"]}"#
            let third = #"{"type":"source","id":"s3","title":"Three","url":"https://example.org/a"}"#
            let response = try Self.post(
                client, Self.lines(first, second, waiting, third, Self.actorA), query: "?mode=partial")
            #expect(response.status == 200, "\(response.bodyString)")
            #expect(try Self.counts(response) == [2, 0, 0, 3])
            let errors = (try response.jsonObject()["errors"] as? [[String: Any]]) ?? []
            #expect(errors.compactMap { $0["line"] as? Int } == [2, 3, 4])
            #expect((errors.first?["detail"] as? String)?.contains("already has the url") == true)
            #expect(try Self.count("sources", app) == 1)
        }
    }

    @Test func dryRunCountsAndWritesNothing() throws {
        try WritingClient.with { client, app in
            let body = Self.lines(Self.actorA, Self.actorB, Self.meeting)
            let response = try Self.post(client, body, query: "?dry_run=true")
            #expect(response.status == 200)
            #expect(try Self.counts(response) == [3, 0, 0, 0])
            #expect(try Self.count("actors", app) == 0)
            let bad = try Self.post(client, Self.lines(Self.actorA, "x"), query: "?dry_run=true")
            #expect(bad.status == 422)
            let partial = try Self.post(client, Self.lines(Self.actorA, "x"), query: "?dry_run=true&mode=partial")
            #expect(partial.status == 200)
            #expect(try Self.counts(partial) == [1, 0, 0, 1])
            #expect(try Self.count("actors", app) == 0)
        }
    }

    /// SPEC: "Importing the same body twice changes nothing the second time".
    @Test func aSecondIdenticalImportIsUnchanged() throws {
        try WritingClient.with { client, _ in
            let body = Self.lines(Self.actorA, Self.actorB, Self.meeting)
            #expect(try Self.counts(try Self.post(client, body)) == [3, 0, 0, 0])
            let before = try client.get("/v1/meetings/m").bodyString
            #expect(try Self.counts(try Self.post(client, body)) == [0, 0, 3, 0])
            #expect(try client.get("/v1/meetings/m").bodyString == before)
            let renamed = Self.lines(Self.actorA.replacingOccurrences(of: #""name":"A""#, with: #""name":"A2""#))
            #expect(try Self.counts(try Self.post(client, renamed)) == [0, 1, 0, 0])
            #expect(try client.get("/v1/actors/a").jsonObject()["version"] as? Int == 2)
        }
    }

    @Test func chunkedGzipAndCRLFBodies() throws {
        try WritingClient.with { client, _ in
            let body = Array([Self.actorA, Self.actorB, Self.meeting].joined(separator: "\r\n").utf8)
            let chunked = try Self.post(client, body, chunked: true)
            #expect(try Self.counts(chunked) == [3, 0, 0, 0])
            let gzip = try Self.post(
                client, try GzipEncoder.compress(body), headers: [("Content-Encoding", "gzip")], chunked: true)
            #expect(gzip.status == 200)
            #expect(try Self.counts(gzip) == [0, 0, 3, 0])
        }
    }

    @Test func theErrorListIsCappedAndTheRestCounted() throws {
        try WritingClient.with { client, _ in
            let body = Array(String(repeating: "nope\n", count: 150).utf8)
            let response = try Self.post(client, body)
            #expect(response.status == 422)
            #expect(try Self.counts(response)[3] == 150)
            #expect(((try response.jsonObject()["errors"] as? [Any]) ?? []).count == 100)
        }
    }

    /// A line found bad only at the end (an unknown reference) still takes its place among the
    /// first 100 bad lines, which the list promises in line order.
    @Test func theCappedListHoldsTheFirstBadLinesEvenWhenFoundLast() throws {
        try WritingClient.with { client, _ in
            let statement =
                #"{"type":"statement","id":"s","speaker_id":"nobody","date":"2024-06-04","channel":"speech","text":"x"}"#
            let body = Array((statement + "\n" + String(repeating: "nope\n", count: 150)).utf8)
            let response = try Self.post(client, body)
            #expect(response.status == 422)
            #expect(try Self.counts(response)[3] == 151)
            let errors = (try response.jsonObject()["errors"] as? [[String: Any]]) ?? []
            let lines = errors.compactMap { $0["line"] as? Int }
            #expect(lines == Array(1...100))
        }
    }

    @Test func requestErrors() throws {
        try WritingClient.with { client, app in
            let body = Self.lines(Self.actorA)
            #expect(try Self.post(client, body, token: "wrong").status == 401)
            let (_, reader) = try app.store.write { try APIKeyRepository().create(name: "r", scope: .read, in: $0) }
            #expect(try Self.post(client, body, token: reader).status == 403)
            #expect(try Self.post(client, body, contentType: "application/json").status == 415)
            #expect(try Self.post(client, body, headers: [("Content-Encoding", "br")]).status == 415)
            #expect(try Self.post(client, body, query: "?mode=some").status == 400)
            #expect(try Self.post(client, body, query: "?dry_run=yes").status == 400)
            #expect(try Self.post(client, body, query: "?limit=1").status == 400)
            #expect(try Self.post(client, Array("garbage".utf8), headers: [("Content-Encoding", "gzip")]).status == 400)
            #expect(try client.get("/v1/import").status == 405)
            #expect(try Self.count("actors", app) == 0)
        }
    }

    /// A client that stops sending: 408 once the body timeout passes (0.5 s in tests), nothing written.
    @Test func aStalledBodyIsA408AndWritesNothing() throws {
        try WritingClient.with { client, app in
            let connection = try RawClient.connect(port: client.server.port)
            defer { connection.close() }
            let body = Array((Self.actorA + "\n").utf8)
            try connection.send(
                Array(
                    ("POST /v1/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                        + "Authorization: Bearer \(client.token)\r\nContent-Length: \(body.count + 100)\r\n\r\n").utf8)
                    + body)
            let response = try connection.readResponse()
            #expect(response.status == 408)
            #expect(response.announcesClose)
            #expect(try Self.count("actors", app) == 0)
        }
    }

    /// A line of exactly the longest length, ended by CRLF, is accepted also when the CR and the
    /// LF arrive in different pieces of the body.
    @Test func aLineOfTheFullLengthMayEndInACRLFSplitAcrossPieces() throws {
        let configuration = APIConfiguration(maxBodyBytes: 100, maxImportBytes: 4096)
        try withAPIServer(configuration: configuration) { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "t", scope: .write, in: $0) }
            let prefix = #"{"type":"source","id":"s","title":""#
            let line = prefix + String(repeating: "t", count: 100 - prefix.count - 2) + #""}"#
            #expect(line.utf8.count == 100)
            let connection = try RawClient.connect(port: server.port)
            defer { connection.close() }
            var head = "POST /v1/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
            head += "Authorization: Bearer \(token)\r\nTransfer-Encoding: chunked\r\n\r\n"
            try connection.send(Array((head + "65\r\n" + line + "\r\r\n").utf8))
            Thread.sleep(forTimeInterval: 0.3)
            try connection.send(Array("1\r\n\n\r\n0\r\n\r\n".utf8))
            let response = try connection.readResponse()
            #expect(response.status == 200, "\(response.bodyString)")
            #expect(try Self.counts(response) == [1, 0, 0, 0])
        }
    }

    @Test func theImportLimitAndTheLineLimit() throws {
        let configuration = APIConfiguration(maxBodyBytes: 200, maxImportBytes: 4096)
        try withAPIServer(configuration: configuration) { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "t", scope: .write, in: $0) }
            let client = WritingClient(server: server, token: token)
            let big = Array(String(repeating: Self.actorA + "\n", count: 80).utf8)
            #expect(try Self.post(client, big).status == 413)
            #expect(try Self.post(client, big, chunked: true).status == 413)
            // Past the normal body limit, under the import limit: streamed, and accepted.
            let fine = Self.lines(Self.actorA, Self.actorB, Self.actorA, Self.actorB)
            #expect(fine.count > 200)
            #expect(try Self.counts(try Self.post(client, fine)) == [2, 0, 2, 0])
            let long =
                #"{"type":"actor","id":"l","kind":"person","name":""# + String(repeating: "x", count: 300) + #""}"#
            let response = try Self.post(client, Self.lines(long, Self.actorA), query: "?mode=partial")
            #expect(try Self.counts(response) == [0, 0, 1, 1])
        }
    }
}
