import Foundation
import Testing

@testable import BilateralAPI

/// The repository's own `openapi.yaml`: read by our parser, and bundled unchanged.
@Suite("openapi.yaml")
struct OpenAPIDocumentTests {
    /// The package root, found from this file (`Tests/BilateralAPITests/<file>`): tests read nothing outside the repo.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relativePath: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    @Test func bundledCopyIsIdenticalToTheCanonicalFile() throws {
        let canonical = try Self.read("openapi.yaml")
        let bundled = try Self.read("Sources/BilateralAPI/Resources/openapi.yaml")
        #expect(canonical == bundled, "run scripts/sync-openapi")
    }

    @Test func parsesTheWholeDocument() throws {
        let document = try YAMLDocument.parse(Self.read("openapi.yaml"))
        #expect(document["openapi"] == .plain("3.1.0"))
        #expect(document[path: "info", "title"] == .plain("Bilateral"))
        #expect(document[path: "info", "version"] == .plain("0.1.0"))
        #expect(document[path: "servers"]?.items?.first?["url"] == .plain("http://localhost:8080"))
        let paths = document["paths"]?.entries?.map(\.key) ?? []
        for path in [
            "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/docs", "/v1/countries", "/v1/countries/{code}",
            "/v1/actors", "/v1/actors/{id}", "/v1/sources", "/v1/sources/{id}",
        ] {
            #expect(paths.contains(path), "\(path) is described")
        }
        #expect(document[path: "paths", "/v1/countries/{code}", "get", "operationId"] == .plain("getCountry"))
        #expect(document[path: "components", "securitySchemes", "bearerAuth", "scheme"] == .plain("bearer"))
        #expect(document["security"] == nil, "reads are public: no global security requirement")
    }

    @Test func examplesCarryRealCountries() throws {
        let document = try YAMLDocument.parse(Self.read("openapi.yaml"))
        let examples = try #require(
            document[
                path: "paths", "/v1/countries/{code}", "get", "responses", "200", "content", "application/json",
                "examples"])
        let cambodia = try #require(examples[path: "cambodia", "value"])
        #expect(cambodia["numeric"] == .string("116"))
        #expect(cambodia["subregion"] == .plain("South-eastern Asia"))
        #expect(examples[path: "unitedStates", "value", "official_name"] == .plain("United States of America"))
        #expect(examples[path: "antarctica", "value", "region"] == .null)
    }

    @Test func blockScalarsAreRead() throws {
        let document = try YAMLDocument.parse(Self.read("openapi.yaml"))
        let description = try #require(document[path: "info", "description"]?.text)
        #expect(description.hasPrefix("Bilateral keeps the record of relations between countries"))
        #expect(description.contains("\n\nConventions that hold for every endpoint:\n\n- Bodies are JSON"))
        #expect(description.hasSuffix("`bilateral keys create --name NAME`.\n"))
    }
}
