extension CompressionMiddleware {
    /// Whether the request's `Accept-Encoding` lets us answer with gzip (RFC 9110 §12.5.3).
    ///
    /// - `gzip` (or `x-gzip`, which §8.4.1.3 says to treat the same) with q > 0 allows it; q=0
    ///   forbids it even when `*` is listed, since an explicit entry beats the wildcard.
    /// - `*` with q > 0 allows gzip when gzip is not listed itself.
    /// - An explicit `identity` with a higher q than gzip's is a stated preference for identity.
    /// - An empty field value means "no content coding wanted". An absent field formally allows
    ///   any coding, but identity is also acceptable then and is what such clients (plain curl)
    ///   can certainly read, so we do not compress.
    /// - Codings and `q` compare case-insensitively; whitespace around elements, `;` and `=` is
    ///   tolerated. An element whose weight is not a valid qvalue (`0`–`1`, at most three decimals)
    ///   is ignored as if absent, so a malformed `gzip;q=x` never turns compression on.
    public static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        var gzip: Int?  // qvalues in thousandths
        var wildcard: Int?
        var identity: Int?
        for element in headers.listValues(for: "Accept-Encoding") {
            var parts = element.split(separator: ";", omittingEmptySubsequences: false)[...]
            let coding = parts.removeFirst().trimmingHTTPWhitespace()
            guard let quality = weight(of: parts) else { continue }
            if coding.equalsIgnoringASCIICase("gzip") || coding.equalsIgnoringASCIICase("x-gzip") {
                gzip = max(gzip ?? 0, quality)
            } else if coding == "*" {
                wildcard = max(wildcard ?? 0, quality)
            } else if coding.equalsIgnoringASCIICase("identity") {
                identity = max(identity ?? 0, quality)
            }
        }
        let gzipQuality = gzip ?? wildcard ?? 0
        guard gzipQuality > 0 else { return false }
        if let identity, identity > gzipQuality { return false }
        return true
    }

    /// The `q` parameter in thousandths (1000 when absent), or nil when a parameter is malformed.
    private static func weight(of parameters: ArraySlice<Substring>) -> Int? {
        var quality = 1000
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { return nil }
            guard pair[0].trimmingHTTPWhitespace().equalsIgnoringASCIICase("q") else { continue }
            guard let value = qvalue(pair[1].trimmingHTTPWhitespace()) else { return nil }
            quality = value
        }
        return quality
    }

    /// RFC 9110 §12.4.2: `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`.
    static func qvalue(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        var thousandths = first == UInt8(ascii: "1") ? 1000 : 0
        guard bytes.count > 1 else { return thousandths }
        guard bytes[1] == UInt8(ascii: "."), bytes.count <= 5 else { return nil }
        var scale = 100
        for digit in bytes[2...] {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            thousandths += Int(digit - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return thousandths <= 1000 ? thousandths : nil
    }
}
