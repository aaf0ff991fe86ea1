import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// "Hold under hostile load", the header findings, over real sockets against the whole app:
/// a second `Authorization` was ignored, a `charset` other than UTF-8 was read as UTF-8, and the
/// values of rejected headers were echoed into the problem and the log.
@Suite("Hostile request headers")
struct HostileHeaderTests {
    /// Sends raw head lines (after the request line and Host) and an optional body.
    static func send(_ server: HTTPServer, _ requestLine: String, _ lines: [String], body: String = "") throws
        -> RawResponse
    {
        let client = try RawClient.connect(port: server.port)
        defer { client.close() }
        var head = "\(requestLine)\r\nHost: localhost\r\n"
        for line in lines { head += line + "\r\n" }
        if !body.isEmpty { head += "Content-Length: \(body.utf8.count)\r\n" }
        try client.send(head + "\r\n" + body)
        return try client.readResponse()
    }

    // MARK: Authorization

    /// Was: the first field won, so a valid key then a bad one (or the reverse, through a proxy
    /// that checks the last) passed.
    @Test func twoAuthorizationFieldsAreA400() throws {
        try WritingClient.with { client, _ in
            for order in [
                ["Authorization: Bearer \(client.token)", "Authorization: Bearer bad"],
                ["Authorization: Bearer bad", "Authorization: Bearer \(client.token)"],
                ["Authorization: Bearer \(client.token)", "Authorization: Bearer \(client.token)"],
            ] {
                let response = try Self.send(
                    client.server, "POST /v1/actors HTTP/1.1", order + ["Content-Type: application/json"],
                    body: #"{"kind":"organization","name":"N"}"#)
                #expect(response.status == 400, "\(order)")
                #expect(response["Content-Type"] == "application/problem+json")
                let detail = try response.jsonObject()["detail"] as? String
                #expect(detail == "The request has more than one Authorization header field.")
                #expect(!response.bodyString.contains(client.token))
            }
            let one = try client.send("POST", "/v1/actors", json: #"{"kind":"organization","name":"N"}"#)
            #expect(one.status == 201)
        }
    }

    @Test func twoContentTypeFieldsAreA400() throws {
        try WritingClient.with { client, _ in
            let response = try Self.send(
                client.server, "POST /v1/actors HTTP/1.1",
                [
                    "Authorization: Bearer \(client.token)", "Content-Type: application/json",
                    "Content-Type: text/plain",
                ],
                body: #"{"kind":"organization","name":"N"}"#)
            #expect(response.status == 400)
        }
    }

    // MARK: charset

    @Test(
        "a charset other than UTF-8 is a 415",
        arguments: [
            "application/json; charset=latin1", "application/json;charset=ISO-8859-1",
            #"application/json; charset="latin1""#, "application/json; charset=utf-16", "application/json; charset=",
            "application/json; charset=utf-8; charset=latin1",
        ])
    func foreignCharsetIsRefused(contentType: String) throws {
        try WritingClient.with { client, _ in
            let response = try client.send(
                "POST", "/v1/actors", json: #"{"kind":"organization","name":"N"}"#, contentType: contentType)
            #expect(response.status == 415, "\(response.bodyString)")
            #expect(response["Content-Type"] == "application/problem+json")
            let detail = (try response.jsonObject()["detail"] as? String) ?? ""
            #expect(detail.contains("charset"), "\(detail)")
            #expect(!detail.lowercased().contains("latin1") && !detail.lowercased().contains("8859"))
        }
    }

    @Test(
        "UTF-8 in any spelling is accepted",
        arguments: [
            "application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8",
            #"application/json;charset="utf-8""#, "Application/JSON ; Charset=Utf-8", "application/json; profile=x",
        ])
    func utf8CharsetIsAccepted(contentType: String) throws {
        try WritingClient.with { client, _ in
            let response = try client.send(
                "POST", "/v1/actors", json: #"{"kind":"organization","name":"N"}"#, contentType: contentType)
            #expect(response.status == 201, "\(response.bodyString)")
        }
    }

    @Test func mergePatchWithAForeignCharsetIsRefused() throws {
        try WritingClient.with { client, _ in
            #expect(try client.send("PUT", "/v1/actors/a", json: #"{"kind":"organization","name":"N"}"#).status == 201)
            let response = try client.send(
                "PATCH", "/v1/actors/a", json: #"{"name":"M"}"#,
                contentType: "application/merge-patch+json; charset=windows-1252")
            #expect(response.status == 415)
            #expect(response["Accept-Patch"] != nil)
        }
    }

    @Test func anImportWithAForeignCharsetIsRefused() throws {
        try WritingClient.with { client, app in
            let line = Array(#"{"type":"actor","id":"a","kind":"organization","name":"A"}"#.utf8)
            let refused = try ImportRoutesTests.post(
                client, line, contentType: "application/x-ndjson; charset=latin1")
            #expect(refused.status == 415, "\(refused.bodyString)")
            #expect(try ImportRoutesTests.count("actors", app) == 0)
            let accepted = try ImportRoutesTests.post(
                client, line, contentType: #"application/x-ndjson; charset="UTF-8""#)
            #expect(accepted.status == 200, "\(accepted.bodyString)")
        }
    }

    @Test func theCheckDecidesFromTheHeadersAlone() throws {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json; charset=latin1")
        #expect(throws: HTTPError.self) {
            try RequestBody.requireMediaType(in: headers, accepted: ["application/json"])
        }
        headers.set("Content-Type", "application/json; charset=utf-8")
        #expect(throws: Never.self) { try RequestBody.requireMediaType(in: headers, accepted: ["application/json"]) }
    }

    // MARK: No echo

    /// Each rejected header value carries a marker; neither the problem body nor the log may
    /// repeat it (an attacker's bytes would land in a terminal or a log pipeline).
    @Test(
        "a rejected header value is not echoed",
        arguments: [
            ("POST /v1/actors HTTP/1.1", "Transfer-Encoding: x-echo-marker"),
            ("POST /v1/actors HTTP/1.1", "Transfer-Encoding: gzip-echo-marker, chunked"),
            ("POST /v1/actors HTTP/1.1", "Content-Length: 12echo-marker"),
            ("GET /v1/countries HTTP/1.1", "Expect: echo-marker"),
            ("GET /v1/countries HTTP/1.1", "X-Bad: echo-marker\u{1}"),
            ("GET /v1/countries HTTP/1.1", "Host: echo-marker"),
            ("ECHO-MARKER /v1/countries HTTP/1.1", "X-A: b"),
            ("POST /v1/import HTTP/1.1", "Content-Type: text/echo-marker"),
            ("POST /v1/actors HTTP/1.1", "Content-Type: text/echo-marker"),
            ("POST /v1/actors HTTP/1.1", "Content-Encoding: echo-marker"),
        ])
    func rejectedValuesAreNotEchoed(requestLine: String, field: String) throws {
        let log = LogRecorder()
        try withAPIServer(log: log) { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "t", scope: .write, in: $0) }
            let response = try Self.send(
                server, requestLine, [field, "Authorization: Bearer \(token)"], body: #"{"a":1}"#)
            #expect(response.status >= 400, "\(response.status)")
            #expect(!response.bodyString.lowercased().contains("echo-marker"), "\(response.bodyString)")
            let lines = log.lines(flushing: app.log)
            #expect(!lines.joined().lowercased().contains("echo-marker"), "\(lines)")
        }
    }

    /// The detail still names the field, so a curl user knows what to fix.
    @Test func theDetailNamesTheField() throws {
        try withAPIServer { server, _, _ in
            let response = try Self.send(server, "POST /v1/actors HTTP/1.1", ["Transfer-Encoding: x-foo"])
            #expect(response.status == 501)
            let detail = (try response.jsonObject()["detail"] as? String) ?? ""
            #expect(detail.contains("Transfer-Encoding"), "\(detail)")
        }
    }
}
