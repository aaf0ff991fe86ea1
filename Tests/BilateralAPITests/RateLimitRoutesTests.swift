import BilateralAPI
import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import Testing

/// Rate limits over a real server on an ephemeral port, on a clock the test moves.
@Suite("Rate limits: 429, headers, scopes, classes, off switch, metrics")
struct RateLimitRoutesTests {
    /// A server with `limits` on `clock`, and a write key.
    static func with<T>(
        _ limits: RateLimitConfiguration, host: String = "127.0.0.1",
        _ body: (HTTPServer, BilateralApp, String) throws -> T
    ) throws -> T {
        try withAPIServer(
            configuration: APIConfiguration(rateLimits: limits), server: .test(host: host)
        ) { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "a", scope: .write, in: $0) }
            return try body(server, app, token)
        }
    }

    @Test func overBudgetIsA429ProblemWithRetryAfterAndRateLimitFields() throws {
        let clock = ManualClock()
        let limits = RateLimitConfiguration(search: RateLimitBudget(quota: 2, window: 60), clock: clock.read)
        try Self.with(limits) { server, _, _ in
            let first = try server.request("GET", "/v1/search?q=hun")
            #expect(first.status == 200)
            #expect(first["RateLimit-Policy"] == #""search";q=2;w=60"#)
            #expect(first["RateLimit"] == #""search";r=1;t=30"#)
            #expect(try server.request("GET", "/v1/search?q=sen")["RateLimit"] == #""search";r=0;t=60"#)

            let refused = try server.request("GET", "/v1/search?q=hun")
            #expect(refused.status == 429)
            #expect(refused["Content-Type"] == "application/problem+json")
            #expect(refused["Retry-After"] == "30")
            #expect(refused["RateLimit-Policy"] == #""search";q=2;w=60"#)
            #expect(refused["RateLimit"] == #""search";r=0;t=30"#)
            let problem = try refused.jsonObject()
            #expect(problem["type"] as? String == "about:blank")
            #expect(problem["title"] as? String == "Too Many Requests")
            #expect(problem["status"] as? Int == 429)
            #expect(problem["instance"] as? String == "/v1/search")
            #expect((problem["detail"] as? String)?.contains("search") == true)

            clock.advance(seconds: 29)
            #expect(try server.request("GET", "/v1/search?q=hun")["Retry-After"] == "1")
            clock.advance(seconds: 1)
            #expect(try server.request("GET", "/v1/search?q=hun").status == 200)
        }
    }

    @Test func exportSearchAndWritesSpendSeparateBudgets() throws {
        let clock = ManualClock()
        let limits = RateLimitConfiguration(
            writes: RateLimitBudget(quota: 2, window: 3600), search: RateLimitBudget(quota: 1, window: 3600),
            bulk: RateLimitBudget(quota: 1, window: 3600), clock: clock.read)
        try Self.with(limits) { server, _, token in
            let auth = [("Authorization", "Bearer \(token)")]
            #expect(try server.request("GET", "/v1/export").status == 200)
            let export = try server.request("GET", "/v1/export")
            #expect(export.status == 429)
            #expect(export["RateLimit-Policy"] == #""bulk";q=1;w=3600"#)
            // Import shares the bulk budget; refused before its body is read.
            #expect(try server.request("POST", "/v1/import", headers: auth).status == 429)

            #expect(try server.request("GET", "/v1/search?q=a").status == 200)
            #expect(try server.request("GET", "/v1/search?q=a").status == 429)

            let write = try server.request("DELETE", "/v1/actors/nobody", headers: auth)
            #expect(write.status == 404, "writes still have their budget")
            #expect(write["RateLimit"] == #""writes";r=1;t=1800"#, "an error response carries the fields too")
            // Reads have no budget by default, and no fields.
            let read = try server.request("GET", "/v1/countries/KH")
            #expect(read.status == 200)
            #expect(read["RateLimit"] == nil && read["RateLimit-Policy"] == nil)
        }
    }

    @Test(
        .enabled(if: Loopback.hasIPv6, "no IPv6 loopback here: the test needs a second client address"))
    func keysAndAddressesHaveBudgetsOfTheirOwn() throws {
        let clock = ManualClock()
        let limits = RateLimitConfiguration(writes: RateLimitBudget(quota: 2, window: 3600), clock: clock.read)
        try Self.with(limits, host: "::") { server, app, keyA in
            let (_, keyB) = try app.store.write { try APIKeyRepository().create(name: "b", scope: .write, in: $0) }
            func delete(_ token: String?, from host: String) throws -> RawResponse {
                let client = try RawClient.connect(port: server.port, host: host)
                defer { client.close() }
                let auth = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
                try client.send(Array("DELETE /v1/actors/nobody HTTP/1.1\r\nHost: x\r\n\(auth)\r\n".utf8))
                return try client.readResponse()
            }
            func detail(_ response: RawResponse) throws -> String {
                #expect(response.status == 429)
                return try response.jsonObject()["detail"] as? String ?? ""
            }
            #expect(try delete(keyA, from: "127.0.0.1").status == 404)
            #expect(try delete(keyA, from: "127.0.0.1").status == 404)
            #expect(try detail(delete(keyA, from: "127.0.0.1")).contains("this API key"))
            // The key's budget follows it to another address.
            #expect(try detail(delete(keyA, from: "::1")).contains("this API key"))
            // Another key from another address has its own.
            #expect(try delete(keyB, from: "::1").status == 404)
            // The spent address refuses anyone, with a key or without: a made-up token buys nothing.
            #expect(try detail(delete(nil, from: "127.0.0.1")).contains("this client address"))
            #expect(try detail(delete(keyB, from: "127.0.0.1")).contains("this client address"))
            #expect(try detail(delete("made-up-token", from: "127.0.0.1")).contains("this client address"))
            // ::1 spent one write (key B's; refusals spend nothing), so one more passes (and is a 401).
            #expect(try delete(nil, from: "::1").status == 401)
            #expect(try detail(delete(nil, from: "::1")).contains("this client address"))
        }
    }

    @Test func offLimitsNothingAndSendsNoFields() throws {
        var limits = RateLimitConfiguration.off
        limits.search = RateLimitBudget(quota: 1, window: 3600)
        limits.bulk = RateLimitBudget(quota: 1, window: 3600)
        try Self.with(limits) { server, app, _ in
            for _ in 0..<5 {
                let search = try server.request("GET", "/v1/search?q=a")
                #expect(search.status == 200)
                #expect(search["RateLimit"] == nil)
                #expect(try server.request("GET", "/v1/export").status == 200)
            }
            #expect(app.rateLimiter.bucketCount == 0)
            #expect(!(try server.request("GET", "/metrics").bodyString.contains("rate_limit")))
        }
    }

    @Test func refusalsAreCountedInMetricsByClassAndScope() throws {
        let clock = ManualClock()
        let limits = RateLimitConfiguration(
            search: RateLimitBudget(quota: 1, window: 60), bulk: RateLimitBudget(quota: 1, window: 60),
            clock: clock.read)
        try Self.with(limits) { server, _, token in
            for _ in 0..<3 { _ = try server.request("GET", "/v1/search?q=a") }
            _ = try server.request("GET", "/v1/export", headers: [("Authorization", "Bearer \(token)")])
            _ = try server.request("GET", "/v1/export", headers: [("Authorization", "Bearer \(token)")])
            // Probes and scrapers are never limited.
            for _ in 0..<3 { #expect(try server.request("GET", "/healthz").status == 200) }
            let metrics = try server.request("GET", "/metrics")
            #expect(metrics.status == 200)
            let lines = metrics.bodyString.split(separator: "\n")
            #expect(lines.contains(#"bilateral_rate_limited_total{class="search",scope="address"} 2"#))
            #expect(lines.contains(#"bilateral_rate_limited_total{class="bulk",scope="key"} 1"#))
            #expect(lines.contains("# TYPE bilateral_rate_limited_total counter"))
            // One address bucket each for search and bulk, and one for the key's bulk.
            #expect(lines.contains("bilateral_rate_limit_buckets 3"))
            #expect(
                lines.contains { $0.hasPrefix("bilateral_http_requests_total{") && $0.contains(#"status="429""#) })
        }
    }

    @Test func theDefaultsLimitWritesSearchAndBulkButNotReads() throws {
        try Self.with(RateLimitConfiguration()) { server, _, token in
            #expect(try server.request("GET", "/v1/countries")["RateLimit"] == nil)
            #expect(try server.request("GET", "/v1/search?q=a")["RateLimit-Policy"] == #""search";q=1200;w=60"#)
            #expect(try server.request("GET", "/v1/export")["RateLimit-Policy"] == #""bulk";q=120;w=3600"#)
            let write = try server.request(
                "DELETE", "/v1/actors/nobody", headers: [("Authorization", "Bearer \(token)")])
            #expect(write["RateLimit-Policy"] == #""writes";q=1000000;w=3600"#)
        }
    }
}
