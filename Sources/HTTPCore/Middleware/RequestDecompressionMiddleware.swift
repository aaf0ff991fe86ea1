/// Decodes gzip request bodies before the handler sees them (SPEC: "request bodies with
/// `Content-Encoding: gzip` are accepted, with the limit applied to the decompressed size").
///
/// `gzip` and `x-gzip` (RFC 9110 §8.4.1.3: "A recipient SHOULD consider "x-gzip" to be equivalent
/// to "gzip"") are decoded, in reverse order when several are listed; `identity` is a no-op. The
/// handler then sees the decoded body, no `Content-Encoding`, and a `Content-Length` that matches.
/// Throws `HTTPError`s, so place it inside `ProblemMiddleware`:
/// - 413 when any decoding step would produce more than `maxBodyBytes` (for a streamed body,
///   `Request.bodyStream`, than its own limit: it is decoded while the handler reads it);
/// - 400 when the body is not valid gzip;
/// - 415 for any other coding, with `Accept-Encoding: gzip` (RFC 9110 §15.5.16: "If the problem
///   was caused by an unsupported content coding, the Accept-Encoding response field ought to be
///   used to indicate which (if any) content codings would have been accepted in the request").
public struct RequestDecompressionMiddleware: Middleware {
    /// The most bytes a decoded body may have.
    public let maxBodyBytes: Int

    public init(maxBodyBytes: Int = 10 * 1024 * 1024) {
        precondition(maxBodyBytes >= 0, "maxBodyBytes must not be negative")
        self.maxBodyBytes = maxBodyBytes
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        let codings = request.headers.listValues(for: "Content-Encoding")
        guard !codings.isEmpty else { return try next.respond(to: request) }

        var gzipLayers = 0
        for coding in codings {
            if coding.equalsIgnoringASCIICase("gzip") || coding.equalsIgnoringASCIICase("x-gzip") {
                gzipLayers += 1
            } else if !coding.equalsIgnoringASCIICase("identity") {
                throw HTTPError(
                    .unsupportedMediaType,
                    // The field, not its value: a client's bytes stay out of the problem and the log.
                    detail: "The Content-Encoding is not supported; accepted codings are gzip and identity.",
                    headers: ["Accept-Encoding": "gzip"])
            }
        }

        var request = request
        if var stream = request.bodyStream {
            // A streamed body is decoded as the handler reads it, held to the route's own limit.
            for _ in 0..<gzipLayers {
                stream = try GzipDecodingBodyStream(stream)
            }
            request.bodyStream = stream
            request.headers.remove("Content-Encoding")
            request.headers.remove("Content-Length")
            return try next.respond(to: request)
        }
        // An empty body has nothing to decode; treat it as empty content rather than corrupt gzip.
        if !request.body.isEmpty {
            for _ in 0..<gzipLayers {
                request.body = try decode(request.body)
            }
        }
        request.headers.remove("Content-Encoding")
        if request.headers.contains("Content-Length") {
            request.headers.set("Content-Length", String(request.body.count))
        }
        return try next.respond(to: request)
    }

    private func decode(_ body: [UInt8]) throws -> [UInt8] {
        do {
            return try GzipDecoder.decompress(body, limit: maxBodyBytes)
        } catch let error as GzipError where error == .sizeLimitExceeded {
            throw HTTPError(
                .contentTooLarge, detail: "The decompressed request body exceeds the limit of \(maxBodyBytes) bytes.")
        } catch let error as GzipError where error == .corruptData {
            throw HTTPError(.badRequest, detail: "The request body is not valid gzip data (\(error.detail)).")
        }
    }
}
