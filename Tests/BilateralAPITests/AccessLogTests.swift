import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

@Suite("Access log through the app")
struct AccessLogTests {
    static func parse(_ line: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(line)")
        }
        return object
    }

    @Test func oneJSONLinePerRequest() throws {
        let log = LogRecorder()
        // One backend: the lines counted are per request, whatever store answers it.
        try withAPIServer(backends: [.sqlite], log: log) { server, app, _ in
            let ok = try server.request("GET", "/v1/countries?limit=2&q=a", headers: [("User-Agent", "tests/1")])
            let missing = try server.request("GET", "/v1/countries/ZZ")
            let unrouted = try server.request("GET", "/nowhere?token=secret")
            #expect(unrouted.status == 404)
            let lines = log.lines(flushing: app.log)
            #expect(lines.count == 3, "\(lines)")
            // Lines are ordered per worker thread (the log is striped by thread), so find each
            // request's line by its id, as a log consumer would.
            let parsed = try lines.map(Self.parse)
            guard parsed.count == 3 else { return }
            func entry(for response: RawResponse) throws -> [String: Any] {
                try #require(parsed.first { $0["request_id"] as? String == response["X-Request-Id"] })
            }
            let entries = [try entry(for: ok), try entry(for: missing), try entry(for: unrouted)]

            #expect(entries[0]["request_id"] as? String == ok["X-Request-Id"])
            #expect(entries[0]["method"] as? String == "GET")
            #expect(entries[0]["path"] as? String == "/v1/countries", "no query")
            #expect(entries[0]["route"] as? String == "/v1/countries")
            #expect(entries[0]["status"] as? Int == 200)
            #expect(entries[0]["level"] as? String == "info")
            #expect(entries[0]["user_agent"] as? String == "tests/1")
            #expect((entries[0]["bytes"] as? Int) == ok.body.count)
            let duration = try #require(entries[0]["duration_ms"] as? Double)
            #expect(duration >= 0 && duration < 5_000)

            #expect(entries[1]["request_id"] as? String == missing["X-Request-Id"])
            #expect(entries[1]["path"] as? String == "/v1/countries/ZZ")
            #expect(entries[1]["route"] as? String == "/v1/countries/{code}")
            #expect(entries[1]["status"] as? Int == 404)

            #expect(entries[2]["path"] as? String == "/nowhere")
            #expect(entries[2]["route"] is NSNull)
            #expect(entries[2]["status"] as? Int == 404)
            #expect(!lines.joined().contains("secret"), "queries may carry tokens")
            for entry in entries {
                for key in ["ts", "request_id", "method", "path", "route", "status", "duration_ms"] {
                    #expect(entry.keys.contains(key), "\(key)")
                }
            }
        }
    }

    @Test func disabledAccessLogWritesNothingPerRequest() throws {
        let log = LogRecorder()
        try withAPIServer(configuration: APIConfiguration(logLevel: .warning), log: log) { server, app, _ in
            let response = try server.request("GET", "/healthz")
            #expect(response.status == 200)
            #expect(log.lines(flushing: app.log).isEmpty)
        }
    }
}
