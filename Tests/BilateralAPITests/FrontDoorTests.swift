import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// `GET /` answers a person (HTML) and a program (JSON).
@Suite("Front door over HTTP")
struct FrontDoorTests {
    @Test func htmlForPeople() throws {
        try withAPIServer { server, app, _ in
            _ = try SampleData.loadIfEmpty(into: app.store)
            let response = try server.request("GET", "/", headers: [("Accept", "text/html,*/*;q=0.8")])
            #expect(response.status == 200)
            #expect(response["Content-Type"] == "text/html; charset=utf-8")
            #expect(response["Cache-Control"] == "no-cache")
            #expect(response.headers.listValues(for: "Vary").contains("Accept"))
            let csp = try #require(response["Content-Security-Policy"])
            #expect(csp.contains("default-src 'none'") && csp.contains("style-src 'self'"))
            #expect(!csp.contains("unsafe-inline"))
            let html = response.bodyString
            #expect(html.contains(BilateralVersion.current))
            #expect(!html.contains("<script") && !html.contains("<style") && !html.contains("style="))
            #expect(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere")
            for link in ["/docs", "/openapi.yaml", "/v1/relations", "/v1/relations/us/kh"] {
                #expect(html.contains("href=\"\(link)\""), "\(link)")
            }
            #expect(html.contains("href=\"/v1/meetings?country=US&amp;country=KH&amp;from=2024-06-01\""))
            let meetings = try app.store.read { try $0.queryOne("SELECT count(*) FROM meetings", []) { try $0.int(0) } }
            #expect((meetings ?? 0) > 0)
            #expect(html.contains("<strong>\(meetings ?? 0)</strong> meetings"), "\(html)")

            // The stylesheet it links is served, cacheable for good.
            let path = try #require(html.firstMatch(of: /href="(\/explorer\/[^"]+\.css)"/)?.1)
            let css = try server.request("GET", String(path))
            #expect(css.status == 200)
            #expect(css["Content-Type"] == "text/css; charset=utf-8")
            #expect(css["Cache-Control"] == "public, max-age=31536000, immutable")
            #expect(try server.request("GET", "/explorer/nope.css").status == 404)
        }
    }

    @Test func jsonForPrograms() throws {
        try withAPIServer { server, app, _ in
            _ = try SampleData.loadIfEmpty(into: app.store)
            let response = try server.request("GET", "/", headers: [("Accept", "application/json")])
            #expect(response.status == 200)
            #expect(response["Content-Type"] == "application/json")
            #expect(response.headers.listValues(for: "Vary").contains("Accept"))
            let json = try response.jsonObject()
            #expect(json["name"] as? String == "bilateral")
            #expect(json["version"] as? String == BilateralVersion.current)
            let counts = try #require(json["counts"] as? [String: Int])
            #expect(Set(counts.keys) == ["meetings", "statements", "initiatives", "actors", "sources"])
            #expect((counts["meetings"] ?? 0) > 0)
            #expect((json["links"] as? [String: String])?["docs"] == "/docs")
            // A 304 keeps the Vary and Cache-Control of the 200.
            let etag = try #require(response["ETag"])
            let again = try server.request(
                "GET", "/", headers: [("Accept", "application/json"), ("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again["Cache-Control"] == "no-cache")
            #expect(again.headers.listValues(for: "Vary").contains("Accept"))
        }
    }

    @Test func privateServersDoNotShowCounts() throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, _, _ in
            let json = try server.request("GET", "/", headers: [("Accept", "application/json")]).jsonObject()
            #expect(json["counts"] is NSNull)
            let html = try server.request("GET", "/").bodyString
            #expect(!html.contains("<strong>"))
        }
    }
}
