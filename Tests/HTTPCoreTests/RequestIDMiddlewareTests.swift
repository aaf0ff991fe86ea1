import Testing

@testable import HTTPCore

@Suite struct RequestIDMiddlewareTests {
    /// Runs the middleware; returns the id the handler saw and the response.
    static func run(headers: HTTPHeaders = HTTPHeaders(), requestID: String = "") throws -> (
        seen: String, response: Response
    ) {
        let seen = Recorder<String>()
        let response = try RequestIDMiddleware().run(.make(headers: headers, requestID: requestID)) { request in
            seen.append(request.requestID)
            return Response.text("ok")
        }
        return (seen.all.first ?? "", response)
    }

    @Test(arguments: ["abc", "A-1.b_2:c", String(repeating: "x", count: 128), "0"])
    func saneClientIDIsAdoptedAndEchoed(id: String) throws {
        let (seen, response) = try Self.run(headers: ["X-Request-Id": id])
        #expect(seen == id)
        #expect(response.headers["X-Request-Id"] == id)
    }

    @Test(arguments: [
        "", String(repeating: "x", count: 129), "has space", "a\"b", "semi;colon", "ünï", "a/b", "a\r\nb",
    ])
    func insaneClientIDIsReplaced(id: String) throws {
        let (seen, response) = try Self.run(headers: ["X-Request-Id": id])
        #expect(seen != id)
        #expect(RequestIDGenerator.isSane(seen))
        #expect(response.headers["X-Request-Id"] == seen)
    }

    @Test func absentIDIsGenerated() throws {
        let (seen, response) = try Self.run()
        #expect(RequestIDGenerator.isSane(seen))
        #expect(response.headers.values(for: "X-Request-Id") == [seen])
    }

    @Test func serverAssignedIDIsKept() throws {
        #expect(try Self.run(requestID: "conn-7").seen == "conn-7")
        #expect(try Self.run(headers: ["X-Request-Id": "client-1"], requestID: "conn-7").seen == "client-1")
    }

    @Test func generatedIDsAreUniqueAndShareAPrefix() {
        let generator = RequestIDGenerator()
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(RequestIDGenerator.isSane))
        #expect(Set(ids.map { $0.prefix(16) }).count == 1)
        #expect(RequestIDGenerator().next().prefix(16) != ids[0].prefix(16))
    }

    @Test func thrownHTTPErrorCarriesTheID() throws {
        do {
            _ = try RequestIDMiddleware().run(.make(headers: ["X-Request-Id": "r-1"])) { _ in
                throw HTTPError(.notFound, detail: "No such meeting.")
            }
            Issue.record("expected a throw")
        } catch let error as HTTPError {
            #expect(error.problem.response().headers["X-Request-Id"] == "r-1")
        }
    }

    @Test func echoedOnProblemResponsesFromTheErrorBoundary() throws {
        let chain = ClosureResponder { _ in throw TestFailure(description: "boom") }
            .wrapped(in: [RequestIDMiddleware(), ProblemMiddleware()])
        let response = try chain.respond(to: .make(headers: ["X-Request-Id": "r-2"]))
        #expect(response.status.code == 500)
        #expect(response.headers["X-Request-Id"] == "r-2")
    }
}
