import Testing

@testable import HTTPCore

@Suite struct CompressionMiddlewareTests {
    static let json = Array(repeating: #"{"id":"m-1","title":"Bilateral talks"}"#, count: 100).joined(separator: ",")

    static func jsonResponse(_ text: String = json, headers: HTTPHeaders = HTTPHeaders()) -> Response {
        Response(contentType: "application/json", body: Array(text.utf8), headers: headers)
    }

    static func run(
        acceptEncoding: String?, method: HTTPMethod = .get, requestHeaders: HTTPHeaders = HTTPHeaders(),
        middleware: CompressionMiddleware = CompressionMiddleware(),
        _ handler: @escaping @Sendable (Request) throws -> Response = { _ in jsonResponse() }
    ) throws -> Response {
        var headers = requestHeaders
        if let acceptEncoding { headers.add("Accept-Encoding", acceptEncoding) }
        return try middleware.run(.make(method, headers: headers), handler)
    }

    @Test(arguments: [
        ("gzip", true),
        ("GZIP", true),
        ("x-gzip", true),
        ("gzip;q=0", false),
        ("gzip; q=0.000", false),
        ("gzip;Q=0.001", true),
        ("*", true),
        ("*;q=0", false),
        ("*, gzip;q=0", false),
        ("gzip;q=0, *", false),
        ("identity;q=1, gzip;q=0", false),
        ("identity;q=1, gzip;q=0.5", false),
        ("identity;q=0.5, gzip", true),
        ("identity", false),
        ("br, gzip;q=0.5", true),
        (" br ,  gzip ; q=0.5 ", true),
        ("deflate", false),
        ("deflate, br", false),
        ("", false),
        ("gzip;q=abc", false),
        ("gzip;q=1.5", false),
        ("gzip;q=0.1234", false),
        ("gzip;q", false),
        ("gzip;q=abc, *", true),
        ("gzip, deflate, br, zstd", true),
    ])
    func acceptEncodingTable(header: String, compresses: Bool) throws {
        #expect(CompressionMiddleware.acceptsGzip(["Accept-Encoding": header]) == compresses)
        let response = try Self.run(acceptEncoding: header)
        #expect((response.headers["Content-Encoding"] == "gzip") == compresses)
        #expect(response.headers["Vary"] == "Accept-Encoding")
    }

    @Test func absentAcceptEncodingIsNotCompressed() throws {
        #expect(!CompressionMiddleware.acceptsGzip(HTTPHeaders()))
        let response = try Self.run(acceptEncoding: nil)
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.headers["Vary"] == "Accept-Encoding")
        #expect(response.bodyBytes == Array(Self.json.utf8))
    }

    @Test(arguments: ["0", "0.", "0.5", "0.999", "1", "1.", "1.0", "1.000"])
    func validQvalues(text: String) {
        #expect(CompressionMiddleware.qvalue(text) != nil)
    }

    @Test(arguments: ["", ".5", "2", "1.001", "0.0000", "01", "-0", "0,5", "1.5"])
    func invalidQvalues(text: String) {
        #expect(CompressionMiddleware.qvalue(text) == nil)
    }

    @Test func compressedBodyDecodesToTheOriginal() throws {
        let response = try Self.run(
            acceptEncoding: "gzip", { _ in Self.jsonResponse(headers: ["Content-Length": "3700"]) })
        let body = try #require(response.bodyBytes)
        #expect(body.count < Self.json.utf8.count)
        #expect(try GzipDecoder.decompress(body, limit: 1 << 20) == Array(Self.json.utf8))
        #expect(response.headers["Content-Length"] == nil)
        #expect(response.headers["Content-Encoding"] == "gzip")
    }

    @Test func belowMinimumSizeIsNotCompressedButVaries() throws {
        let small = String(repeating: "a", count: 1023)
        let response = try Self.run(acceptEncoding: "gzip", { _ in Self.jsonResponse(small) })
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.headers["Vary"] == "Accept-Encoding")
        #expect(response.bodyBytes == Array(small.utf8))

        let exactly = String(repeating: "a", count: 1024)
        let compressed = try Self.run(acceptEncoding: "gzip", { _ in Self.jsonResponse(exactly) })
        #expect(compressed.headers["Content-Encoding"] == "gzip")
    }

    @Test func minimumSizeIsConfigurable() throws {
        let response = try Self.run(
            acceptEncoding: "gzip", middleware: CompressionMiddleware(minimumSize: 10),
            { _ in Self.jsonResponse("[1,2,3,4,5,6]") })
        #expect(response.headers["Content-Encoding"] == "gzip")
    }

    @Test func existingVaryIsMergedWithoutDuplicates() throws {
        let merged = try Self.run(acceptEncoding: "gzip", { _ in Self.jsonResponse(headers: ["Vary": "Origin"]) })
        #expect(merged.headers.values(for: "Vary") == ["Origin, Accept-Encoding"])
        let kept = try Self.run(
            acceptEncoding: "gzip", { _ in Self.jsonResponse(headers: ["Vary": "accept-encoding"]) })
        #expect(kept.headers.values(for: "Vary") == ["accept-encoding"])
    }

    @Test func alreadyEncodedResponseIsUntouched() throws {
        let body = try GzipEncoder.compress(Array(Self.json.utf8))
        let response = try Self.run(acceptEncoding: "gzip") { _ in
            Response(
                contentType: "application/json", body: body, headers: ["Content-Encoding": "gzip", "ETag": "\"a\""])
        }
        #expect(response.bodyBytes == body)
        #expect(response.headers["ETag"] == "\"a\"")
    }

    @Test func partialContentIsUntouched() throws {
        let response = try Self.run(acceptEncoding: "gzip") { _ in
            Self.jsonResponse(headers: ["Content-Range": "bytes 0-3699/5000"])
        }
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.bodyBytes == Array(Self.json.utf8))
    }

    @Test(arguments: [204, 304, 101])
    func bodylessStatusesAreNotCompressed(code: Int) throws {
        let response = try Self.run(acceptEncoding: "gzip") { _ in
            Response(status: HTTPStatus(code: code), headers: ["Content-Type": "application/json", "ETag": "\"a\""])
        }
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.headers["ETag"] == "\"a\"")
        #expect(response.bodyBytes == [])
        // RFC 9110 §15.4.5: a 304 carries the Vary its 200 would have.
        #expect((response.headers["Vary"] != nil) == (code == 304))
    }

    @Test(arguments: [
        ("application/json", true), ("application/json; charset=utf-8", true), ("text/csv", true),
        ("text/html; charset=utf-8", true), ("application/problem+json", true), ("application/x-ndjson", true),
        ("application/yaml", true), ("application/merge-patch+json", true), ("Application/JSON", true),
        ("image/svg+xml", true), ("image/png", false), ("image/jpeg", false), ("application/gzip", false),
        ("application/zip", false), ("application/octet-stream", false), ("video/mp4", false),
    ])
    func contentTypes(contentType: String, compresses: Bool) throws {
        #expect(CompressionMiddleware.isCompressible(contentType: contentType) == compresses)
        let response = try Self.run(acceptEncoding: "gzip") { _ in
            Response(contentType: contentType, body: Array(Self.json.utf8))
        }
        #expect((response.headers["Content-Encoding"] == "gzip") == compresses)
    }

    @Test func missingContentTypeIsNotCompressed() throws {
        let response = try Self.run(acceptEncoding: "gzip") { _ in Response(body: .bytes(Array(Self.json.utf8))) }
        #expect(response.headers["Content-Encoding"] == nil)
    }

    @Test func headGetsTheHeadersOfGet() throws {
        let get = try Self.run(acceptEncoding: "gzip", method: .get)
        let head = try Self.run(acceptEncoding: "gzip", method: .head)
        #expect(head.headers.map { "\($0.name): \($0.value)" } == get.headers.map { "\($0.name): \($0.value)" })
        #expect(head.bodyBytes?.count == get.bodyBytes?.count)
    }

    @Test func streamsAreCompressedOnTheFly() throws {
        let lines = (0..<5000).map { #"{"id":"m-\#($0)","title":"talks"}"# + "\n" }
        let response = try Self.run(acceptEncoding: "gzip") { _ in
            Response(
                headers: ["Content-Type": "application/x-ndjson"],
                body: .stream { writer in
                    for line in lines { try writer.write(Array(line.utf8)) }
                })
        }
        #expect(response.headers["Content-Encoding"] == "gzip")
        let writer = CollectingWriter()
        guard case .stream(let produce) = response.body else { throw TestFailure(description: "not a stream") }
        try produce(writer)
        #expect(writer.writes < lines.count / 10)  // batched by zlib, not one write per line
        #expect(try GzipDecoder.decompress(writer.bytes, limit: 1 << 20) == Array(lines.joined().utf8))
    }

    @Test func tinyStreamIsStillCompressed() throws {
        let response = try Self.run(acceptEncoding: "gzip") { _ in
            Response(headers: ["Content-Type": "text/plain"], body: .stream { try $0.write(Array("hi".utf8)) })
        }
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(try GzipDecoder.decompress(try response.collectBody(), limit: 10) == Array("hi".utf8))
    }

    @Test func streamWithoutGzipIsPassedThrough() throws {
        let response = try Self.run(acceptEncoding: "br") { _ in
            Response(headers: ["Content-Type": "text/plain"], body: .stream { try $0.write(Array("hi".utf8)) })
        }
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(try response.collectBody() == Array("hi".utf8))
    }

    @Test func strongETagGetsGzipSuffixWeakStays() throws {
        let strong = try Self.run(acceptEncoding: "gzip", { _ in Self.jsonResponse(headers: ["ETag": "\"abc\""]) })
        #expect(strong.headers["ETag"] == "\"abc-gzip\"")
        let weak = try Self.run(acceptEncoding: "gzip", { _ in Self.jsonResponse(headers: ["ETag": "W/\"abc\""]) })
        #expect(weak.headers["ETag"] == "W/\"abc\"")
        let identity = try Self.run(acceptEncoding: nil, { _ in Self.jsonResponse(headers: ["ETag": "\"abc\""]) })
        #expect(identity.headers["ETag"] == "\"abc\"")
    }

    @Test func conditionalTagsReachTheHandlerAsIdentityTags() throws {
        let seen = Recorder<String>()
        _ = try Self.run(
            acceptEncoding: "gzip",
            requestHeaders: ["If-Match": "\"abc-gzip\", W/\"x\"", "If-None-Match": "\"a,b-gzip\""]
        ) { request in
            seen.append(request.headers["If-Match"] ?? "")
            seen.append(request.headers["If-None-Match"] ?? "")
            return Response(status: .noContent)
        }
        #expect(seen.all == ["\"abc\", W/\"x\"", "\"a,b\""])
    }

    @Test func notModifiedForAGzipTagCarriesTheGzipTag() throws {
        let handler: @Sendable (Request) throws -> Response = { request in
            request.headers["If-None-Match"] == "\"abc\""
                ? Response(status: .notModified, headers: ["ETag": "\"abc\""])
                : Self.jsonResponse(headers: ["ETag": "\"abc\""])
        }
        let gzipClient = try Self.run(
            acceptEncoding: "gzip", requestHeaders: ["If-None-Match": "\"abc-gzip\""], handler)
        #expect(gzipClient.status.code == 304)
        #expect(gzipClient.headers["ETag"] == "\"abc-gzip\"")
        #expect(gzipClient.headers["Vary"] == "Accept-Encoding")

        let identityClient = try Self.run(acceptEncoding: "gzip", requestHeaders: ["If-None-Match": "\"abc\""], handler)
        #expect(identityClient.status.code == 304)
        #expect(identityClient.headers["ETag"] == "\"abc\"")
    }

    @Test(arguments: ["*", "", "abc", "\"unterminated", "\"a\" \"b\""])
    func unparsableConditionalsAreLeftAlone(value: String) {
        var headers: HTTPHeaders = ["If-None-Match": value]
        _ = CompressionMiddleware.identityTagsForConditionals(&headers)
        #expect(headers["If-None-Match"] == value)
    }
}
