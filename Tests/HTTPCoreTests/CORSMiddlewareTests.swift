import Testing

@testable import HTTPCore

@Suite struct CORSMiddlewareTests {
    static let app = "https://app.example.org"

    static func methods(_ path: String) -> [HTTPMethod]? {
        path.hasPrefix("/v1/meetings") ? [.get, .head, .post, .options] : nil
    }

    static func run(
        _ origins: [String], method: HTTPMethod = .get, path: String = "/v1/meetings",
        headers: HTTPHeaders = HTTPHeaders()
    ) throws -> Response {
        try CORSMiddleware(origins: origins, allowedMethods: methods).run(.make(method, path, headers: headers)) {
            request in
            request.method == .options
                ? Response(status: .noContent, headers: ["Allow": "GET, HEAD, POST, OPTIONS"])
                : request.path.hasPrefix("/v1/meetings") ? .text("[]") : Response(status: .notFound)
        }
    }

    static func corsHeaders(_ response: Response) -> [String] {
        response.headers.map(\.name).filter { $0.lowercased().hasPrefix("access-control-") }
    }

    @Test func noConfigurationMeansNoCORSHeaders() throws {
        let response = try Self.run([], headers: ["Origin": Self.app])
        #expect(Self.corsHeaders(response).isEmpty)
        #expect(response.headers["Vary"] == nil)
        let preflight = try Self.run(
            [], method: .options, headers: ["Origin": Self.app, "Access-Control-Request-Method": "POST"])
        #expect(preflight.headers["Allow"] != nil)
        #expect(Self.corsHeaders(preflight).isEmpty)
    }

    @Test func allowedOriginIsEchoedWithVary() throws {
        let response = try Self.run([Self.app, "http://localhost:3000"], headers: ["Origin": Self.app])
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
        #expect(
            response.headers["Access-Control-Expose-Headers"]
                == "ETag, Location, Link, X-Request-Id, WWW-Authenticate, Retry-After, RateLimit, RateLimit-Policy")
        #expect(response.headers["Vary"] == "Origin")
        #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
    }

    @Test func originComparisonIgnoresCase() throws {
        let response = try Self.run(["https://App.Example.org"], headers: ["Origin": Self.app])
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
    }

    @Test(arguments: ["https://evil.example", "https://app.example.org.evil.example", "null", "http://app.example.org"])
    func disallowedOriginGetsNoCORSHeaders(origin: String) throws {
        let response = try Self.run([Self.app], headers: ["Origin": origin])
        #expect(Self.corsHeaders(response).isEmpty)
        #expect(response.headers["Vary"] == "Origin")  // the answer depends on Origin
        #expect(response.status.code == 200)
    }

    @Test func requestWithoutOriginGetsOnlyVary() throws {
        let response = try Self.run([Self.app])
        #expect(Self.corsHeaders(response).isEmpty)
        #expect(response.headers["Vary"] == "Origin")
    }

    @Test func wildcardAnswersStarWithoutVary() throws {
        let response = try Self.run(["*"], headers: ["Origin": "https://anyone.example"])
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
        #expect(response.headers["Access-Control-Expose-Headers"] != nil)
        #expect(response.headers["Vary"] == nil)
    }

    @Test func preflightIsAnswered204() throws {
        let response = try Self.run(
            [Self.app], method: .options, path: "/v1/meetings/m-1",
            headers: [
                "Origin": Self.app, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-evil",
            ])
        #expect(response.status.code == 204)
        #expect(response.bodyBytes == [])
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
        #expect(response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST, OPTIONS")
        // The fixed allowed set, never an echo of whatever was requested.
        #expect(
            response.headers["Access-Control-Allow-Headers"]
                == "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, X-Request-Id, Last-Event-ID")
        #expect(response.headers["Access-Control-Max-Age"] == "600")
        #expect(response.headers["Vary"] == "Origin")
        #expect(response.headers["Allow"] == nil)  // answered here, not by the router
    }

    @Test func maxAgeIsConfigurable() throws {
        let middleware = CORSMiddleware(allowedOrigins: .any, maxAge: 60, allowedMethods: Self.methods)
        let response = try middleware.run(
            .make(.options, "/v1/meetings", headers: ["Origin": Self.app, "Access-Control-Request-Method": "GET"])
        ) { _ in Response(status: .noContent) }
        #expect(response.headers["Access-Control-Max-Age"] == "60")
        #expect(response.headers["Access-Control-Allow-Origin"] == "*")
    }

    @Test func preflightForUnknownPathFallsThrough() throws {
        let options = try CORSMiddleware(origins: [Self.app], allowedMethods: Self.methods).run(
            .make(.options, "/nope", headers: ["Origin": Self.app, "Access-Control-Request-Method": "GET"])
        ) { _ in Response(status: .notFound) }
        #expect(options.status.code == 404)
        #expect(options.headers["Access-Control-Allow-Methods"] == nil)
        #expect(options.headers["Access-Control-Allow-Origin"] == Self.app)  // so the browser can read the 404
    }

    @Test func preflightFromDisallowedOriginFallsThroughToPlainOptions() throws {
        let response = try Self.run(
            [Self.app], method: .options,
            headers: ["Origin": "https://evil.example", "Access-Control-Request-Method": "POST"])
        #expect(response.headers["Allow"] == "GET, HEAD, POST, OPTIONS")
        #expect(Self.corsHeaders(response).isEmpty)
    }

    @Test func plainOptionsWithOriginIsNotAPreflight() throws {
        let response = try Self.run([Self.app], method: .options, headers: ["Origin": Self.app])
        #expect(response.headers["Allow"] != nil)
        #expect(response.headers["Access-Control-Allow-Methods"] == nil)
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
    }

    @Test func thrownHTTPErrorsCarryTheHeaders() throws {
        do {
            _ = try CORSMiddleware(origins: [Self.app], allowedMethods: Self.methods).run(
                .make(headers: ["Origin": Self.app])
            ) { _ in throw HTTPError(.unauthorized, detail: "no") }
            Issue.record("expected a throw")
        } catch let error as HTTPError {
            #expect(error.problem.headers["Access-Control-Allow-Origin"] == Self.app)
        }
    }

    @Test func varyMergesWithCompression() throws {
        let chain = ClosureResponder { _ in
            Response(contentType: "application/json", body: [UInt8](repeating: 32, count: 2000))
        }
        .wrapped(in: [
            CORSMiddleware(origins: [Self.app], allowedMethods: Self.methods), CompressionMiddleware(),
        ])
        let response = try chain.respond(to: .make(headers: ["Origin": Self.app, "Accept-Encoding": "gzip"]))
        #expect(response.headers.values(for: "Vary") == ["Accept-Encoding, Origin"])
    }
}
