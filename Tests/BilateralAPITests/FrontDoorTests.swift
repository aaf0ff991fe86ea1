import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// `GET /` answers a person (the explorer's page) and a program (JSON).
@Suite("Front door over HTTP")
struct FrontDoorTests {
    @Test func theExplorerForPeople() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/", headers: [("Accept", "text/html,*/*;q=0.8")])
            #expect(response.status == 200)
            #expect(response["Content-Type"] == "text/html; charset=utf-8")
            #expect(response["Cache-Control"] == "no-cache")
            #expect(response["X-Content-Type-Options"] == "nosniff")
            #expect(response.headers.listValues(for: "Vary").contains("Accept"))
            let html = response.bodyString
            #expect(html.contains("<main id=\"view\""))
            #expect(!html.contains("http://") && !html.contains("https://"), "nothing from elsewhere")
            #expect(!html.contains("style="), "no inline style")
            // Every script is a file of ours: none inline, which the policy would refuse anyway.
            let scripts = html.matches(of: /<script([^>]*)>/).map { String($0.1) }
            #expect(!scripts.isEmpty)
            for attributes in scripts {
                #expect(attributes.contains("src=\"/explorer/"), "\(attributes)")
            }
            // curl's `*/*` gets the page too.
            #expect(try server.request("GET", "/").bodyString == html)
        }
    }

    @Test func contentSecurityPolicyAllowsOnlyThisServer() throws {
        try withAPIServer { server, _, _ in
            let csp = try #require(try server.request("GET", "/")["Content-Security-Policy"])
            let directives = Dictionary(
                uniqueKeysWithValues: csp.split(separator: ";").map { directive in
                    let words = directive.split(separator: " ").map(String.init)
                    return (words[0], Array(words.dropFirst()))
                })
            #expect(directives["default-src"] == ["'none'"])
            #expect(directives["script-src"] == ["'self'"])
            #expect(directives["style-src"] == ["'self'"])
            #expect(directives["connect-src"] == ["'self'"])
            #expect(directives["frame-ancestors"] == ["'none'"])
            #expect(directives["base-uri"] == ["'none'"])
            #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval") && !csp.contains("*"))
        }
    }

    @Test func thePageRevalidatesByETag() throws {
        try withAPIServer { server, _, _ in
            let first = try server.request("GET", "/")
            let etag = try #require(first["ETag"])
            let again = try server.request("GET", "/", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again["Cache-Control"] == "no-cache")
            #expect(again.headers.listValues(for: "Vary").contains("Accept"))
        }
    }

    @Test func jsonForPrograms() throws {
        try withAPIServer { server, app, _ in
            _ = try SampleData.loadIfEmpty(into: app.store)
            let response = try server.request("GET", "/", headers: [("Accept", "application/json")])
            #expect(response.status == 200)
            #expect(response["Content-Type"] == "application/json")
            #expect(response["Content-Security-Policy"] == nil)
            #expect(response.headers.listValues(for: "Vary").contains("Accept"))
            let json = try response.jsonObject()
            #expect(json["name"] as? String == "bilateral")
            #expect(json["version"] as? String == BilateralVersion.current)
            let counts = try #require(json["counts"] as? [String: Int])
            #expect(Set(counts.keys) == ["meetings", "statements", "initiatives", "actors", "sources"])
            let meetings = try app.store.read { try $0.queryOne("SELECT count(*) FROM meetings", []) { try $0.int(0) } }
            #expect(counts["meetings"] == meetings && (meetings ?? 0) > 0)
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

    @Test func privateServersShowThePageButNotTheCounts() throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, _, _ in
            let json = try server.request("GET", "/", headers: [("Accept", "application/json")]).jsonObject()
            #expect(json["counts"] is NSNull)
            // The page and its assets hold nothing of the record: the page asks for a key.
            let page = try server.request("GET", "/")
            #expect(page.status == 200)
            let main = try #require(page.bodyString.firstMatch(of: /src="(\/explorer\/[^"]+)"/)?.1)
            #expect(try server.request("GET", String(main)).status == 200)
            #expect(try server.request("GET", "/v1/relations").status == 401)
        }
    }
}
