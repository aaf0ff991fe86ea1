import Testing

@testable import HTTPCore

@Suite struct RequestDecompressionMiddlewareTests {
    static let payload = Array(String(repeating: #"{"name":"Hun Sen"}"#, count: 200).utf8)

    /// Runs the middleware; the handler echoes the body it saw and its relevant headers.
    static func run(
        body: [UInt8], contentEncoding: String?, maxBodyBytes: Int = 10 * 1024 * 1024
    ) throws -> (body: [UInt8], headers: HTTPHeaders) {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Content-Length": String(body.count)]
        if let contentEncoding { headers.add("Content-Encoding", contentEncoding) }
        let response = try RequestDecompressionMiddleware(maxBodyBytes: maxBodyBytes).run(
            .make(.post, headers: headers, body: body)
        ) { request in
            Response(status: .ok, headers: request.headers, body: .bytes(request.body))
        }
        return (try #require(response.bodyBytes), response.headers)
    }

    static func status(of body: () throws -> Void) -> HTTPError? {
        do { try body() } catch let error as HTTPError { return error } catch { return nil }
        return nil
    }

    @Test(arguments: ["gzip", "GZIP", "x-gzip", "identity, gzip", "gzip, identity"])
    func gzipBodyIsDecoded(coding: String) throws {
        let seen = try Self.run(body: try GzipEncoder.compress(Self.payload), contentEncoding: coding)
        #expect(seen.body == Self.payload)
        #expect(seen.headers["Content-Encoding"] == nil)
        #expect(seen.headers["Content-Length"] == String(Self.payload.count))
    }

    @Test func doubleGzipIsDecodedTwice() throws {
        let twice = try GzipEncoder.compress(try GzipEncoder.compress(Self.payload))
        #expect(try Self.run(body: twice, contentEncoding: "gzip, gzip").body == Self.payload)
    }

    @Test(arguments: [nil, "identity"])
    func unencodedBodyPassesThrough(coding: String?) throws {
        let seen = try Self.run(body: Self.payload, contentEncoding: coding)
        #expect(seen.body == Self.payload)
        #expect(seen.headers["Content-Length"] == String(Self.payload.count))
    }

    @Test func limitAppliesToTheDecompressedSize() throws {
        let compressed = try GzipEncoder.compress(Self.payload)
        let limit = Self.payload.count - 1
        #expect(compressed.count < limit)
        let error = Self.status { _ = try Self.run(body: compressed, contentEncoding: "gzip", maxBodyBytes: limit) }
        #expect(error?.problem.status.code == 413)
        #expect(
            try Self.run(body: compressed, contentEncoding: "gzip", maxBodyBytes: Self.payload.count).body
                == Self.payload)
    }

    @Test func zipBombIs413() throws {
        let encoder = try GzipEncoder()
        var bomb: [UInt8] = []
        for _ in 0..<64 { bomb += encoder.compress([UInt8](repeating: 0, count: 1 << 20)) }
        bomb += encoder.finish()
        let error = Self.status { _ = try Self.run(body: bomb, contentEncoding: "gzip", maxBodyBytes: 1 << 20) }
        #expect(error?.problem.status.code == 413)
    }

    @Test(arguments: [Array("not gzip at all".utf8), [0x1F, 0x8B, 0x08, 0x00]])
    func corruptBodyIs400(body: [UInt8]) {
        let error = Self.status { _ = try Self.run(body: body, contentEncoding: "gzip") }
        #expect(error?.problem.status.code == 400)
    }

    @Test(arguments: ["br", "deflate", "compress", "gzip, br", "zstd"])
    func otherCodingsAre415WithAcceptEncoding(coding: String) {
        let error = Self.status { _ = try Self.run(body: Self.payload, contentEncoding: coding) }
        #expect(error?.problem.status.code == 415)
        #expect(error?.problem.headers["Accept-Encoding"] == "gzip")
        #expect(error?.problem.detail.contains("gzip") == true)
        #expect(error?.problem.response().headers["Accept-Encoding"] == "gzip")
    }

    @Test func emptyGzipBodyIsEmpty() throws {
        #expect(try Self.run(body: [], contentEncoding: "gzip").body == [])
    }
}
