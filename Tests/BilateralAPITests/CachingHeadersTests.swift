import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// Every response carries a deliberate `Cache-Control` (REDbot warned on every 200 without one),
/// and a 304 carries the one its 200 would (RFC 9110 §15.4.5).
@Suite("Cache-Control and Vary over HTTP")
struct CachingHeadersTests {
    @Test(arguments: [
        ("/v1/countries/KH", "no-cache"), ("/v1/countries", "no-cache"), ("/v1/meetings", "no-cache"),
        ("/openapi.yaml", "public, max-age=3600"), ("/docs", "public, max-age=3600"),
        ("/healthz", "no-store"), ("/readyz", "no-store"), ("/metrics", "no-store"),
        ("/v1/countries/ZZ", "no-store"), ("/no/such/route", "no-store"), ("/v1/meetings?limit=0", "no-store"),
    ])
    func everyResponseHasOne(target: String, expected: String) throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", target)
            #expect(response["Cache-Control"] == expected, "\(target) \(response.status)")
        }
    }

    @Test func notModifiedCarriesTheSameCacheControl() throws {
        try withAPIServer { server, _, _ in
            for target in ["/v1/countries/KH", "/docs", "/openapi.yaml"] {
                let first = try server.request("GET", target)
                let etag = try #require(first["ETag"])
                let again = try server.request("GET", target, headers: [("If-None-Match", etag)])
                #expect(again.status == 304)
                #expect(again["Cache-Control"] == first["Cache-Control"], "\(target)")
            }
        }
    }

    @Test func writesAndOtherAnswersAreNotStored() throws {
        try withAPIServer { server, _, _ in
            let unauthorized = try server.request(
                "POST", "/v1/actors", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
            #expect(unauthorized.status == 401)
            #expect(unauthorized["Cache-Control"] == "no-store")
            let options = try server.request("OPTIONS", "/v1/actors")
            #expect(options["Cache-Control"] == "no-store")
        }
    }

    @Test(arguments: ["/v1/meetings", "/v1/statements", "/v1/initiatives", "/v1/actors"])
    func listsThatNegotiateCSVVaryByAccept(path: String) throws {
        try withAPIServer { server, _, _ in
            for accept in ["application/json", "text/csv"] {
                let response = try server.request("GET", path, headers: [("Accept", accept)])
                #expect(response.status == 200)
                let vary = response.headers.listValues(for: "Vary")
                #expect(vary.contains("Accept"), "\(path) \(accept): \(vary)")
                #expect(vary.contains("Accept-Encoding"))
            }
        }
    }

    @Test func listsThatDoNotNegotiateDoNotVaryByAccept() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries")
            #expect(!response.headers.listValues(for: "Vary").contains("Accept"))
        }
    }

    @Test func browsersMayReadTheHeadersThatSayWhyAndWhen() throws {
        try withAPIServer(configuration: APIConfiguration(corsOrigins: ["*"])) { server, _, _ in
            let response = try server.request("GET", "/v1/countries/KH", headers: [("Origin", "https://a.example")])
            let exposed = response.headers.listValues(for: "Access-Control-Expose-Headers")
            for name in ["ETag", "WWW-Authenticate", "Retry-After", "RateLimit", "RateLimit-Policy"] {
                #expect(exposed.contains(name), "\(exposed)")
            }
        }
    }
}
