import Foundation
import Testing

@testable import HTTPCore

@Suite struct ProblemMiddlewareTests {
    struct SecretError: Error, CustomStringConvertible {
        var description: String { "SQLITE_CORRUPT at /var/lib/bilateral/db.sqlite: SELECT password" }
    }

    static func json(_ response: Response) throws -> [String: Any] {
        let bytes = try #require(response.bodyBytes)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func httpErrorBecomesItsProblem() throws {
        let response = try ProblemMiddleware().run(.make(.delete, "/v1/actors/hun-sen?force=1")) { _ in
            throw HTTPError(.conflict, detail: "Meeting m-1 refers to this actor.", headers: ["X-Extra": "1"])
        }
        #expect(response.status.code == 409)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.headers["X-Extra"] == "1")
        let body = try Self.json(response)
        #expect(body["type"] as? String == "about:blank")
        #expect(body["title"] as? String == "Conflict")
        #expect(body["status"] as? Int == 409)
        #expect(body["detail"] as? String == "Meeting m-1 refers to this actor.")
        #expect(body["instance"] as? String == "/v1/actors/hun-sen")
    }

    @Test func existingInstanceIsKept() throws {
        let response = try ProblemMiddleware().run(.make()) { _ in
            throw HTTPError(ProblemDetails(.notFound, detail: "gone", instance: "/elsewhere"))
        }
        #expect(try Self.json(response)["instance"] as? String == "/elsewhere")
    }

    @Test func unexpectedErrorIsA500WithoutInternalsAndIsReported() throws {
        let reported = Recorder<String>()
        let middleware = ProblemMiddleware { request, error in
            reported.append("\(request.requestID) \(error)")
        }
        let response = try middleware.run(.make(requestID: "req-42")) { _ in throw SecretError() }
        #expect(response.status.code == 500)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        let text = String(decoding: try #require(response.bodyBytes), as: UTF8.self)
        #expect(!text.contains("SQLITE") && !text.contains("password") && !text.contains("SecretError"))
        let body = try Self.json(response)
        #expect(body["detail"] as? String == "An internal error occurred; quote request id req-42 when reporting it.")
        #expect(body["status"] as? Int == 500)
        #expect(reported.all == ["req-42 \(SecretError())"])
    }

    @Test func httpErrorsAreNotReported() throws {
        let reported = Recorder<String>()
        _ = try ProblemMiddleware { _, error in reported.append("\(error)") }.run(.make()) { _ in
            throw HTTPError(.badRequest, detail: "bad")
        }
        #expect(reported.all.isEmpty)
    }

    @Test func successfulResponsesPassThrough() throws {
        let response = try ProblemMiddleware().run(.make()) { _ in .text("fine") }
        #expect(response.status.code == 200)
        #expect(response.bodyBytes == Array("fine".utf8))
    }
}
