import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

@Suite("Operations endpoints over HTTP")
struct OperationsRoutesTests {
    @Test func healthz() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/healthz")
            #expect(response.status == 200)
            #expect(response.bodyString == #"{"status":"ok"}"#)
            #expect(response["Content-Type"] == "application/json")
            #expect(try server.request("GET", "/healthz?verbose=1").status == 400)
        }
    }

    /// Closing the pool is what a lost database looks like to the app: every read throws.
    @Test func readyzFollowsTheDatabase() throws {
        try withAPIServer { server, app, _ in
            let ready = try server.request("GET", "/readyz")
            #expect(ready.status == 200)
            #expect(ready.bodyString == #"{"status":"ok"}"#)

            app.store.close()
            let unready = try server.request("GET", "/readyz")
            #expect(unready.status == 503)
            #expect(unready["Content-Type"] == "application/problem+json")
            let problem = try unready.jsonObject()
            #expect(problem["status"] as? Int == 503)
            #expect(problem["instance"] as? String == "/readyz")
            #expect((problem["detail"] as? String)?.contains("database") == true)
            // Liveness does not depend on the database.
            #expect(try server.request("GET", "/healthz").status == 200)
        }
    }

    @Test func metricsCountByRoutePatternNeverRawPath() throws {
        try withAPIServer { server, _, _ in
            #expect(try server.request("GET", "/v1/countries/kh").status == 200)
            #expect(try server.request("GET", "/v1/countries/zz").status == 404)
            #expect(try server.request("GET", "/no/such/thing").status == 404)
            let response = try server.request("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.bodyString
            #expect(text.contains("# TYPE bilateral_http_requests_total counter"))
            #expect(text.contains("# HELP "))
            let requests = text.split(separator: "\n").filter { $0.hasPrefix("bilateral_http_requests_total{") }
            #expect(
                requests.contains {
                    $0.contains(#"route="/v1/countries/{code}""#) && $0.contains(#"status="200""#)
                        && $0.contains(#"method="GET""#) && $0.hasSuffix(" 1")
                }, "\(requests)")
            #expect(
                requests.contains { $0.contains(#"route="/v1/countries/{code}""#) && $0.contains(#"status="404""#) })
            #expect(!text.contains("/v1/countries/kh"))
            #expect(!text.contains("/v1/countries/zz"))
            #expect(!text.contains("/no/such/thing"), "an unmatched path is not a label value")
            #expect(text.contains("# TYPE bilateral_http_request_duration_seconds histogram"))
            #expect(text.contains("bilateral_http_open_connections"))
        }
    }

    /// SPEC: `/metrics` carries database timings — waits for a connection and transaction times.
    @Test func metricsCarryDatabaseTimings() throws {
        try withAPIServer { server, _, _ in
            #expect(try server.request("GET", "/v1/countries/KH").status == 200)
            #expect(try server.request("GET", "/readyz").status == 200)
            let text = try server.request("GET", "/metrics").bodyString
            #expect(text.contains("# TYPE bilateral_db_wait_seconds histogram"))
            #expect(text.contains("# TYPE bilateral_db_transaction_seconds histogram"))
            let lines = text.split(separator: "\n")
            let reads = try #require(
                lines.first { $0.hasPrefix(#"bilateral_db_transaction_seconds_count{access="read"}"#) })
            #expect((Int(reads.split(separator: " ").last ?? "") ?? 0) >= 2, "\(reads)")
            #expect(
                lines.contains { $0.hasPrefix(#"bilateral_db_wait_seconds_bucket{connection="reader",le="+Inf"}"#) })
            // Migrations ran through the writer before the server started.
            let writes = try #require(
                lines.first { $0.hasPrefix(#"bilateral_db_transaction_seconds_count{access="write"}"#) })
            #expect((Int(writes.split(separator: " ").last ?? "") ?? 0) >= 1, "\(writes)")
        }
    }

    @Test func openAPIIsTheBundledFile() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/openapi.yaml")
            #expect(response.status == 200)
            #expect(response["Content-Type"] == "application/yaml")
            #expect(response.body == Array(try BundledResource.data("openapi.yaml")))
            #expect(response.bodyString.contains("\nopenapi: 3.1.0\n"))
        }
    }

    @Test func docsIsSelfContainedHTML() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/docs")
            #expect(response.status == 200)
            #expect(response["Content-Type"] == "text/html; charset=utf-8")
            let html = response.bodyString
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(!html.contains("src="))
            #expect(!html.contains("href=\"http"))
            #expect(!html.contains("href='http"))
            #expect(!html.contains("href=\"//"))
            #expect(html.contains("/v1/countries/{code}") || html.contains("/v1/countries/<span"))
        }
    }
}
