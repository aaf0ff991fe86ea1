import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// CORS through the whole app, as `--cors-origin` configures it.
@Suite("CORS over HTTP")
struct CORSTests {
    static let origin = "https://app.example"
    static let preflight: [(String, String)] = [
        ("Origin", origin), ("Access-Control-Request-Method", "GET"),
        ("Access-Control-Request-Headers", "if-none-match"),
    ]

    static func corsHeaders(_ response: RawResponse) -> [String] {
        response.headers.map(\.name).filter { $0.lowercased().hasPrefix("access-control-") }
    }

    @Test func withoutCORSOriginThereAreNoCORSHeadersAtAll() throws {
        try withAPIServer { server, _, _ in
            let simple = try server.request("GET", "/v1/countries/KH", headers: [("Origin", Self.origin)])
            #expect(simple.status == 200)
            #expect(Self.corsHeaders(simple).isEmpty)
            let options = try server.request("OPTIONS", "/v1/countries", headers: Self.preflight)
            #expect(options.status == 204, "the ordinary OPTIONS answer")
            #expect(options["Allow"] == "GET, HEAD, OPTIONS")
            #expect(Self.corsHeaders(options).isEmpty)
            let error = try server.request("GET", "/v1/countries/ZZ", headers: [("Origin", Self.origin)])
            #expect(Self.corsHeaders(error).isEmpty)
        }
    }

    @Test func simpleRequestFromAnAllowedOrigin() throws {
        try withAPIServer(configuration: APIConfiguration(corsOrigins: [Self.origin])) { server, _, _ in
            for target in ["/v1/countries/KH", "/v1/countries/ZZ", "/v1/countries?limit=nope"] {
                let response = try server.request("GET", target, headers: [("Origin", Self.origin)])
                #expect(response["Access-Control-Allow-Origin"] == Self.origin, "\(target)")
                let exposed = response.headers.listValues(for: "Access-Control-Expose-Headers")
                for name in ["ETag", "Location", "Link", "X-Request-Id"] {
                    #expect(exposed.contains(name), "\(target) exposes \(name)")
                }
                #expect(response.headers.listValues(for: "Vary").contains("Origin"))
            }
        }
    }

    @Test func preflightFromAnAllowedOrigin() throws {
        try withAPIServer(configuration: APIConfiguration(corsOrigins: [Self.origin])) { server, _, _ in
            let response = try server.request("OPTIONS", "/v1/countries/KH", headers: Self.preflight)
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
            #expect(response["Access-Control-Allow-Origin"] == Self.origin)
            let methods = response.headers.listValues(for: "Access-Control-Allow-Methods")
            #expect(methods.contains("GET"))
            #expect(methods.contains("HEAD"))
            #expect(!methods.contains("POST"), "countries are read-only")
            let headers = response.headers.listValues(for: "Access-Control-Allow-Headers").map { $0.lowercased() }
            for name in ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"] {
                #expect(headers.contains(name.lowercased()), "allows \(name)")
            }
            let maxAge = try #require(response["Access-Control-Max-Age"])
            #expect((Int(maxAge) ?? 0) > 0)
            #expect(response["X-Request-Id"] != nil)
        }
    }

    @Test func otherOriginsGetNoCORSHeaders() throws {
        try withAPIServer(configuration: APIConfiguration(corsOrigins: [Self.origin])) { server, _, _ in
            let other = [("Origin", "https://evil.example")]
            let simple = try server.request("GET", "/v1/countries/KH", headers: other)
            #expect(simple.status == 200)
            #expect(Self.corsHeaders(simple).isEmpty)
            #expect(
                simple.headers.listValues(for: "Vary").contains("Origin"),
                "a cache must not reuse it for the allowed origin")
            let preflight = try server.request(
                "OPTIONS", "/v1/countries/KH",
                headers: [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET")])
            #expect(Self.corsHeaders(preflight).isEmpty)
            let noOrigin = try server.request("GET", "/v1/countries/KH")
            #expect(Self.corsHeaders(noOrigin).isEmpty)
        }
    }

    @Test func anyOrigin() throws {
        try withAPIServer(configuration: APIConfiguration(corsOrigins: ["*"])) { server, _, _ in
            let response = try server.request(
                "GET", "/v1/countries/KH", headers: [("Origin", "https://anything.example")])
            #expect(response["Access-Control-Allow-Origin"] == "*")
        }
    }
}
