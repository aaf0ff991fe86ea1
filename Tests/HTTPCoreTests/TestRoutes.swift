import HTTPCore
import HTTPTestSupport
import Testing

/// The routes the socket tests talk to, each doing one thing a test needs.
enum TestRoutes {
    /// - Parameter counter: incremented by every `GET /count`, so a test can prove a request
    ///   was never handled.
    static func make(counter: Counter = Counter()) -> Router {
        var router = Router()
        router.get("/healthz") { _ in .text("ok") }
        router.get("/x") { _ in .text("x") }
        router.get("/count") { _ in
            counter.increment()
            return .text("counted")
        }
        router.get("/target") { request in .text("\(request.method) \(request.target) path=\(request.path)") }
        router.post("/echo") { request in
            Response(contentType: "application/octet-stream", body: request.body, headers: ["X-Method": "POST"])
        }
        router.put("/echo") { request in
            Response(contentType: "application/octet-stream", body: request.body, headers: ["X-Method": "PUT"])
        }
        // The parser vectors' bodies go to these, so a broken body is judged after an admitted head.
        router.post("/b") { request in Response(contentType: "application/octet-stream", body: request.body) }
        router.put("/big") { request in Response(contentType: "application/octet-stream", body: request.body) }
        router.get("/items/{id}") { request in .text(request.pathParameters["id"] ?? "") }
        router.get("/slow") { request in
            let milliseconds = try request.queryItems().first { $0.name == "ms" }.flatMap { Int($0.value) } ?? 300
            blockingSleep(.milliseconds(milliseconds))
            return .text("slow")
        }
        router.get("/big") { _ in
            Response(contentType: "application/octet-stream", body: [UInt8](repeating: 0x62, count: 5 * 1024 * 1024))
        }
        router.get("/stream") { request in
            let count = try request.queryItems().first { $0.name == "n" }.flatMap { Int($0.value) } ?? 5
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    for index in 0..<count { try writer.write(Array("chunk \(index)\n".utf8)) }
                })
        }
        router.get("/close") { _ in
            var response = Response.text("bye")
            response.headers.set("Connection", "close")
            return response
        }
        router.get("/throw") { _ in throw UnexpectedError() }
        router.get("/conflict") { _ in throw HTTPError(.conflict, detail: "It clashes.") }
        return router
    }

    static func stream(_ count: Int) -> String { (0..<count).map { "chunk \($0)\n" }.joined() }

    struct UnexpectedError: Error {}
}
