/// Gzips response bodies for clients that accept it (SPEC: "responses of 1 KiB or more are
/// gzip-encoded when `Accept-Encoding` allows gzip (`Vary: Accept-Encoding` always)").
///
/// A body is compressed when all of these hold: the status allows content (not 1xx/204/304), the
/// client accepts gzip (see `acceptsGzip(_:)`), no `Content-Encoding` or `Content-Range` is set
/// yet, the media type is text-like (see `isCompressible(contentType:)`), and the body is a stream
/// (size unknown) or at least `minimumSize` bytes. HEAD is treated exactly like GET, so its headers are the ones GET
/// would get; the server drops the body.
///
/// ETags: a compressed representation is a different representation, and a strong validator must
/// tell them apart (RFC 9110 §8.8.3.3 shows gzip with its own ETag). A strong `"x"` becomes
/// `"x-gzip"`; weak tags stay as they are (the decoded content is the same). So that handlers only
/// ever compare against their identity tags, `"x-gzip"` in a request's `If-Match` and
/// `If-None-Match` is rewritten to `"x"` before the handler sees it; when the handler then answers
/// 304 and the client named the gzip tag, the 304 carries `"x-gzip"`, the tag it holds.
public struct CompressionMiddleware: Middleware {
    /// Bodies shorter than this many bytes are sent as they are.
    public let minimumSize: Int
    /// The zlib level, 1…9.
    public let level: Int32
    private let cache = GzipCache()

    public init(minimumSize: Int = 1024, level: Int32 = GzipEncoder.defaultLevel) {
        precondition(minimumSize >= 0, "minimumSize must not be negative")
        precondition((1...9).contains(level), "gzip level must be 1...9")
        self.minimumSize = minimumSize
        self.level = level
    }

    public func respond(to request: Request, next: any Responder) throws -> Response {
        var request = request
        let clientTags = Self.identityTagsForConditionals(&request.headers)
        let acceptsGzip = Self.acceptsGzip(request.headers)
        var response = try next.respond(to: request)

        if response.status.code == 304 {
            // RFC 9110 §15.4.5: a 304 MUST carry the ETag and Vary a 200 would have carried.
            response.headers.addVary("Accept-Encoding")
            if acceptsGzip, let etag = response.headers["ETag"], let gzipTag = Self.gzipTag(for: etag),
                clientTags.contains(gzipTag)
            {
                response.headers.set("ETag", gzipTag)
            }
            return response
        }
        guard response.status.allowsBody else { return response }
        response.headers.addVary("Accept-Encoding")
        // A partial response's Content-Range counts bytes of the identity representation.
        guard acceptsGzip, !response.headers.contains("Content-Encoding"),
            !response.headers.contains("Content-Range"),
            Self.isCompressible(contentType: response.headers["Content-Type"])
        else { return response }

        switch response.body {
        case .bytes(let bytes):
            guard bytes.count >= minimumSize else { return response }
            let level = self.level
            // `compress` fails only without memory.
            let make = { (bytes: [UInt8]) in try? GzipEncoder.compress(bytes, level: level) }
            let strongTag = response.headers["ETag"].flatMap { $0.hasPrefix("W/") ? nil : $0 }
            let compressed: [UInt8]?
            if let strongTag, bytes.count >= cache.minimumSize {
                compressed = cache.compressed(bytes, tag: strongTag, make: make)
            } else {
                compressed = make(bytes)
            }
            guard let compressed else { return response }
            response.body = .bytes(compressed)
        case .stream(let produce):
            let level = self.level
            response.body = .stream { writer in
                let gzipWriter = GzipBodyWriter(wrapping: writer, encoder: try GzipEncoder(level: level))
                try produce(gzipWriter)
                try gzipWriter.finish()
            }
        case .push:
            // Events must reach the client as they are sent: a compressor would hold them.
            return response
        }
        response.headers.set("Content-Encoding", "gzip")
        response.headers.remove("Content-Length")
        if let etag = response.headers["ETag"], let gzipTag = Self.gzipTag(for: etag) {
            response.headers.set("ETag", gzipTag)
        }
        return response
    }

    /// Whether a response with this `Content-Type` is worth compressing: text, JSON, YAML, XML and
    /// their structured-syntax suffixes. Anything else (images, archives, octet streams, or no
    /// type at all) is likely compressed already or of unknown kind, and is left alone.
    public static func isCompressible(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = (contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingHTTPWhitespace()
            .lowercased()
        if mediaType.hasPrefix("text/") { return true }
        if mediaType.hasSuffix("+json") || mediaType.hasSuffix("+xml") { return true }  // problem+json, svg+xml
        switch mediaType {
        case "application/json", "application/x-ndjson", "application/yaml", "application/x-yaml",
            "application/xml", "application/javascript", "application/x-www-form-urlencoded":
            return true
        default:
            return false
        }
    }
}
