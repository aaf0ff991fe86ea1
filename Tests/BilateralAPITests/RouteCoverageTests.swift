import Foundation
import HTTPCore
import Testing

@testable import BilateralAPI

/// SPEC: "`openapi.yaml` in the project must describe exactly this API".
@Suite("Routes and openapi.yaml agree")
struct RouteCoverageTests {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func documentedOperations() throws -> Set<String> {
        let document = try YAMLDocument.parse(OpenAPIDocumentTests.read("openapi.yaml"))
        var operations: Set<String> = []
        for path in document["paths"]?.entries ?? [] {
            for entry in path.value.entries ?? [] where methods.contains(entry.key) {
                operations.insert("\(entry.key.uppercased()) \(path.key)")
            }
        }
        return operations
    }

    static func registeredOperations() throws -> Set<String> {
        try withStore { pool, _ in
            let app = try BilateralApp(
                store: pool, configuration: APIConfiguration(), log: AccessLog(flushInterval: .never) { _ in })
            return Set(app.router.registeredRoutes.map { "\($0.method.rawValue) \($0.pattern)" })
        }
    }

    @Test func everyRegisteredRouteIsDocumented() throws {
        let documented = try Self.documentedOperations()
        let registered = try Self.registeredOperations()
        #expect(!registered.isEmpty)
        for operation in registered.sorted() {
            #expect(documented.contains(operation), "\(operation) is served but not in openapi.yaml")
        }
    }

    @Test func everyDocumentedOperationIsRegistered() throws {
        let documented = try Self.documentedOperations()
        let registered = try Self.registeredOperations()
        #expect(!documented.isEmpty)
        for operation in documented.sorted() {
            #expect(registered.contains(operation), "\(operation) is in openapi.yaml but not served")
        }
    }
}
